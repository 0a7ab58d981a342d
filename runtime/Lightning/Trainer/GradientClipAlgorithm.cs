namespace Lightning;

/// <summary>How <c>GradientClipVal</c> clips gradients.</summary>
public enum GradientClipAlgorithm
{
    /// <summary>Scale all gradients so their total 2-norm is at most the clip value (Lightning's default).</summary>
    Norm,
    /// <summary>Clamp each gradient element into [-value, value].</summary>
    Value,
}
