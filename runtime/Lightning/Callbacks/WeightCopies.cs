using TorchSharp;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>Copies of a module's weights by state-dict name, as the weight-averaging callbacks keep them.</summary>
internal static class WeightCopies
{
    /// <summary>Detached copies outside any dispose scope, so they live as long as their callback.</summary>
    public static Dictionary<string, Tensor> Clone(IEnumerable<KeyValuePair<string, Tensor>> tensors) =>
        tensors.ToDictionary(e => e.Key, e => e.Value.detach().clone().DetachFromDisposeScope(), StringComparer.Ordinal);

    /// <summary>The tensors of a checkpoint entry saved from such copies.</summary>
    public static Dictionary<string, Tensor> Clone(Dictionary<string, object?> saved) =>
        Clone(saved.Where(e => e.Value is Tensor).Select(e => KeyValuePair.Create(e.Key, (Tensor)e.Value!)));

    /// <summary>Writes <paramref name="source"/> into the module's weights of the same names.</summary>
    public static void CopyInto(IReadOnlyDictionary<string, Tensor> source, nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict()) tensor.copy_(source[name]);
    }

    /// <summary>
    /// Takes the module's current weights into <paramref name="averaged"/>, which holds <paramref name="numAveraged"/>
    /// updates: the first copies; later ones call <paramref name="average"/> (averaged, current) for floating-point
    /// tensors and copy the others (such as a batch count).
    /// </summary>
    public static void Update(Dictionary<string, Tensor> averaged, nn.Module module, long numAveraged, Action<Tensor, Tensor> average)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, current) in module.state_dict())
        {
            var target = averaged[name];
            if (numAveraged == 0 || !current.is_floating_point()) target.copy_(current);
            else average(target, current.to(target.device));
        }
    }

    /// <summary>Frees the copies.</summary>
    public static void Dispose(Dictionary<string, Tensor>? tensors)
    {
        foreach (var tensor in tensors?.Values ?? Enumerable.Empty<Tensor>()) tensor.Dispose();
    }
}
