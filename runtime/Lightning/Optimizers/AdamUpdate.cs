using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning.Optimizers;

/// <summary>
/// Adam's and AdamW's update on TorchSharp's state objects of either (same fields, different types), through
/// accessors: the three moment tensors as slots, the step count, and the group's options as an <see cref="AdamRule"/>.
/// </summary>
internal sealed class AdamUpdate(IReadOnlyList<StateSlot> slots, Func<OptimizerState, long> stepOf, Action<OptimizerState, long> setStep,
    Func<ParamGroup, AdamRule> rule) : IUpdateRule
{
    public IReadOnlyList<StateSlot> Slots => slots;

    public bool CountsSteps => true;

    public long StepOf(OptimizerState state) => stepOf(state);

    public bool ReadsGradientsInPlace(FlatBucket bucket) => FusedAdamKernel.Accepts(bucket.Parameters.Data);

    public void Whole(FlatBucket bucket, IntPtr[]? gradients)
    {
        long step = 0;
        foreach (var state in bucket.States) setStep(state, step = stepOf(state) + 1);
        if (gradients is not null)
            FusedAdamKernel.Apply(rule(bucket.Group), step, bucket.Parameters.Data, bucket.Parameters.Gradients.Layout.Bounds, gradients, bucket.Slots[0]!,
                bucket.Slots[1]!, bucket.Slots[2]);
        else
            rule(bucket.Group).Apply(bucket.Parameters.Data, bucket.Parameters.Gradients.Buffer, bucket.Slots[0]!, bucket.Slots[1]!, bucket.Slots[2], step,
                bucket.Scratch);
    }

    public void Single(ParamGroup group, Parameter parameter, Tensor grad, OptimizerState state)
    {
        var step = stepOf(state) + 1;
        setStep(state, step);
        rule(group).Apply(parameter, grad, slots[0].Get(state)!, slots[1].Get(state)!, slots[2].Get(state), step);
    }
}
