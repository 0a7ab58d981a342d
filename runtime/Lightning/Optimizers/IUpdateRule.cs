using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning.Optimizers;

/// <summary>An optimizer's update, applied to a whole <see cref="FlatBucket"/> or to one parameter (see <see cref="MultiTensorSteps"/>).</summary>
internal interface IUpdateRule
{
    /// <summary>The state tensors each parameter has.</summary>
    IReadOnlyList<StateSlot> Slots { get; }

    /// <summary>Whether the update depends on each parameter's step count, so a bucket steps as a whole only while all counts agree.</summary>
    bool CountsSteps { get; }

    /// <summary>A state's step count (where <see cref="CountsSteps"/>).</summary>
    long StepOf(OptimizerState state);

    /// <summary>
    /// Whether <see cref="Whole"/> reads the gradients of <paramref name="bucket"/> where backward left them (one pass
    /// on the CPU) rather than from the bucket's gradient buffer, so they need not be copied in first.
    /// </summary>
    bool ReadsGradientsInPlace(FlatBucket bucket);

    /// <summary>Updates every parameter of <paramref name="bucket"/> in a few operations on its buffers.</summary>
    /// <param name="bucket">The parameters.</param>
    /// <param name="gradients">
    /// Where each parameter's gradient lies (<see cref="FlatGradients.Locate"/>) when <see cref="ReadsGradientsInPlace"/>;
    /// otherwise null, and the gradients are in the bucket's gradient buffer.
    /// </param>
    void Whole(FlatBucket bucket, IntPtr[]? gradients);

    /// <summary>Updates one parameter.</summary>
    void Single(ParamGroup group, Parameter parameter, Tensor grad, OptimizerState state);
}
