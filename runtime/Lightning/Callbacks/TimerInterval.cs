namespace Lightning;

/// <summary>When <see cref="Timer"/> checks the time limit (Lightning's <c>interval</c>).</summary>
public enum TimerInterval
{
    /// <summary>After every training batch, so training can stop inside an epoch.</summary>
    Step,

    /// <summary>At the end of every training epoch.</summary>
    Epoch,
}
