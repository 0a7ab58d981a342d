using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning.Optimizers;

/// <summary>
/// Adam with a multi-tensor step: TorchSharp's <c>torch.optim.Adam</c> (same constructor, options, parameter groups,
/// state and saved state, so schedulers, checkpoints and resume treat it as one), but the parameters, gradients and
/// moments live in a few contiguous buffers and a step is a handful of kernels for the whole model instead of several
/// per parameter. Create it after the module is on its device and in its final element type (in
/// <c>ConfigureOptimizers</c>): it moves the parameters' storage into its buffers.
/// </summary>
/// <remarks>
/// <c>zero_grad()</c> drops the gradients, as PyTorch's does by default (<c>set_to_none=True</c>): backward then writes
/// fresh ones instead of adding to zeros, a parameter that takes no part in a step's loss has none and is skipped, as
/// PyTorch and TorchSharp skip it, and on the CPU the step reads the gradients where backward left them.
/// <c>zero_grad(set_to_none: false)</c> zeroes them in place instead, keeping them views of <see cref="FlatGradients"/>.
/// </remarks>
public sealed class Adam : TorchSharp.Modules.Adam, IMultiTensorOptimizer
{
    private static readonly AdamUpdate Update = new(
    [
        new(s => ((State)s).exp_avg, (s, t) => ((State)s).exp_avg = t),
        new(s => ((State)s).exp_avg_sq, (s, t) => ((State)s).exp_avg_sq = t),
        new(s => ((State)s).max_exp_avg_sq, (s, t) => ((State)s).max_exp_avg_sq = t),
    ],
        s => ((State)s).step, (s, step) => ((State)s).step = step,
        group => group.Options is Options o
            ? new AdamRule(o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.weight_decay!.Value, Decoupled: false, o.amsgrad!.Value, o.maximize!.Value)
            : throw new ArgumentException($"A parameter group of Adam needs Adam.Options."));

    // Null only while the base constructor adds the first parameter groups.
    private readonly MultiTensorSteps? _steps;

    /// <summary>Adam over <paramref name="parameters"/>; the arguments are TorchSharp's <c>torch.optim.Adam</c>'s.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="beta1">Decay of the running average of the gradient.</param>
    /// <param name="beta2">Decay of the running average of its square.</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="weight_decay">L2 penalty.</param>
    /// <param name="amsgrad">Use the AMSGrad variant.</param>
    /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
    public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize) => _steps = new(() => _parameter_groups, p => _state[p.Handle], Update);

    /// <summary>Adam over parameter groups, each with options of its own; the arguments are the defaults.</summary>
    /// <param name="parameters">The parameter groups.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="beta1">Decay of the running average of the gradient.</param>
    /// <param name="beta2">Decay of the running average of its square.</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="weight_decay">L2 penalty.</param>
    /// <param name="amsgrad">Use the AMSGrad variant.</param>
    /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
    public Adam(IEnumerable<ParamGroup> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize) => _steps = new(() => _parameter_groups, p => _state[p.Handle], Update);

    /// <inheritdoc/>
    public IReadOnlyList<FlatGradients> FlatGradients => _steps!.Gradients;

    /// <summary>Updates all parameters in a few kernels per group.</summary>
    /// <param name="closure">Re-evaluates the model and returns the loss; optional.</param>
    public override Tensor step(Func<Tensor>? closure = null) => _steps!.Step(closure)!;

    /// <summary>Drops all gradients (PyTorch's default, <c>set_to_none=True</c>).</summary>
    public override void zero_grad() => _steps!.ZeroGrad(setToNone: true);

    /// <summary>Drops all gradients, or zeroes them in place (one kernel per buffer) where <paramref name="set_to_none"/> is false.</summary>
    /// <param name="set_to_none">Drop the gradients instead of zeroing them.</param>
    public void zero_grad(bool set_to_none) => _steps!.ZeroGrad(set_to_none);

    /// <summary>Adds a parameter group; all groups' parameters are laid out anew.</summary>
    /// <param name="param_group">The group.</param>
    public override void add_param_group(TorchSharp.Modules.ParamGroup param_group)
    {
        base.add_param_group(param_group);
        _steps?.Rebuild();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _steps?.Dispose();
        base.Dispose(disposing);
    }
}
