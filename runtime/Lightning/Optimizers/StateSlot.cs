using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning.Optimizers;

/// <summary>One per-parameter state tensor of a TorchSharp optimizer (Adam's <c>exp_avg</c>, SGD's <c>momentum_buffer</c>), read and written on its state object.</summary>
internal sealed record StateSlot(Func<OptimizerState, Tensor?> Get, Action<OptimizerState, Tensor?> Set);
