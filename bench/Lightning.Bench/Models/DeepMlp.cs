using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Bench.Models;

/// <summary>
/// A model of many small parameters, where an optimizer's cost per parameter (not per element) dominates its
/// step: 50 linear layers of 64 × 64 with ReLU between them, 100 parameter tensors of 4,160 elements per layer.
/// </summary>
internal static class DeepMlp
{
    public const int Layers = 50;
    public const int Width = 64;

    public static Module<Tensor, Tensor> Create() =>
        Sequential(Enumerable.Range(0, Layers).SelectMany(i => i + 1 < Layers
            ? new (string, Module<Tensor, Tensor>)[] { ($"fc{i}", Linear(Width, Width)), ($"relu{i}", ReLU()) }
            : [($"fc{i}", Linear(Width, Width))]));
}
