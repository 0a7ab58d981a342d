using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning.Optimizers;

/// <summary>
/// SGD's update, operation for operation as TorchSharp's step does it (weight decay as an L2 term, momentum with
/// dampening, Nesterov, maximize), on TorchSharp's <c>SGD.State</c>: the momentum buffer is the one slot, created
/// from the first gradient.
/// </summary>
internal sealed class SgdUpdate : IUpdateRule
{
    private static readonly StateSlot Momentum = new(s => ((TorchSharp.Modules.SGD.State)s).momentum_buffer,
        (s, t) => ((TorchSharp.Modules.SGD.State)s).momentum_buffer = t);

    public static SgdUpdate Instance { get; } = new();

    public IReadOnlyList<StateSlot> Slots { get; } = [Momentum];

    public bool CountsSteps => false;

    public long StepOf(OptimizerState state) => 0;

    public bool ReadsGradientsInPlace(FlatBucket bucket) => false;

    public void Whole(FlatBucket bucket, IntPtr[]? gradients)
    {
        var created = Apply(bucket.Group, bucket.Parameters.Data, bucket.Parameters.Gradients.Buffer, bucket.Slots[0]);
        if (created is not null) bucket.Adopt(Momentum, 0, created);
    }

    public void Single(ParamGroup group, Parameter parameter, Tensor grad, OptimizerState state)
    {
        if (Apply(group, parameter, grad, Momentum.Get(state)) is { } created) Momentum.Set(state, created.DetachFromDisposeScope());
    }

    // Returns the momentum buffer when this step created it.
    private static Tensor? Apply(ParamGroup group, Tensor param, Tensor grad, Tensor? buffer)
    {
        var o = (TorchSharp.Modules.SGD.Options)group.Options;
        var momentum = o.momentum!.Value;
        var weightDecay = o.weight_decay!.Value;
        var lr = o.LearningRate!.Value;
        if (weightDecay != 0) grad = grad.add(param, alpha: weightDecay);
        Tensor? created = null;
        if (momentum != 0)
        {
            if (buffer is null) buffer = created = grad.clone();
            else buffer.mul_(momentum).add_(grad, alpha: 1 - o.dampening!.Value);
            grad = o.nesterov!.Value ? grad.add(buffer, alpha: momentum) : buffer;
        }
        param.add_(grad, alpha: o.maximize!.Value ? lr : -lr);
        return created;
    }
}
