using static TorchSharp.torch;

namespace Lightning.Tests.Support;

/// <summary>Gives a module another's weights, so two runs start alike.</summary>
internal static class WeightCopy
{
    public static void Into(nn.Module source, nn.Module target)
    {
        using var noGrad = no_grad();
        foreach (var (to, from) in target.parameters().Zip(source.parameters())) to.copy_(from);
    }
}
