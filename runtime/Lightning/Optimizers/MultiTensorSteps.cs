using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning.Optimizers;

/// <summary>
/// What the multi-tensor optimizers share: their parameters in flat buckets (<see cref="FlatBucket"/>) and a step
/// that updates each bucket as a whole, with TorchSharp's per-parameter update as the fallback for a bucket that
/// cannot be (some parameters without a gradient, or with different step counts after a partial update). Both
/// paths run the optimizer's one update rule, once on the buffers or once per parameter on views of them.
/// Parameters that did not require a gradient when the optimizer was made stay outside the buckets and are
/// updated per parameter whenever they have a gradient.
/// </summary>
internal sealed class MultiTensorSteps : IDisposable
{
    private readonly IUpdateRule _rule;
    private readonly Func<IEnumerable<ParamGroup>> _groups;
    private readonly Func<Parameter, OptimizerState> _stateOf;
    private readonly List<FlatBucket> _buckets = [];
    private readonly List<(ParamGroup Group, Parameter Parameter)> _loose = [];
    private bool _disposed;

    /// <param name="groups">The optimizer's parameter groups, as they are now.</param>
    /// <param name="stateOf">The optimizer's state object of a parameter.</param>
    /// <param name="rule">The optimizer's update.</param>
    public MultiTensorSteps(Func<IEnumerable<ParamGroup>> groups, Func<Parameter, OptimizerState> stateOf, IUpdateRule rule)
    {
        _rule = rule;
        _groups = groups;
        _stateOf = stateOf;
        Build();
    }

    /// <summary>Lays the parameters out anew, after a parameter group was added.</summary>
    public void Rebuild()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var bucket in _buckets) bucket.Dispose();
        _buckets.Clear();
        _loose.Clear();
        Build();
    }

    private void Build()
    {
        foreach (var group in _groups())
        {
            var parameters = group.Parameters.ToList();
            _loose.AddRange(parameters.Where(p => !p.requires_grad).Select(p => (group, p)));
            foreach (var kind in parameters.Where(p => p.requires_grad).GroupBy(p => (p.dtype, p.device.type, p.device.index)))
            {
                var members = kind.ToList();
                var bucket = new FlatBucket(group, new FlatParameters(members), members.Select(_stateOf).ToArray(), _rule.Slots.Count);
                bucket.Bind(_rule, checkSteps: false);
                _buckets.Add(bucket);
            }
        }
    }

    /// <summary>The gradient buffers, one per bucket.</summary>
    public IReadOnlyList<FlatGradients> Gradients
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _buckets.Select(b => b.Parameters.Gradients).ToList();
        }
    }

    /// <summary>
    /// Drops all gradients (<paramref name="setToNone"/>, PyTorch's default), so that backward writes fresh ones
    /// instead of adding to zeros; or zeroes them in place, a kernel per bucket, keeping them views of the buffers.
    /// </summary>
    public void ZeroGrad(bool setToNone)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (setToNone)
        {
            OptimizerGradients.Drop(_groups().SelectMany(g => g.Parameters));
            return;
        }
        foreach (var bucket in _buckets) bucket.Parameters.Gradients.Zero();
        foreach (var (_, parameter) in _loose)
        {
            using var grad = parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>
    /// Runs the closure (if any) with gradients on, then updates every bucket as a whole where it can and otherwise
    /// each of its parameters that has a gradient. A rule that reads the gradients where backward left them gets
    /// their addresses; for the others they are copied into the bucket's gradient buffer where they are not there
    /// already.
    /// </summary>
    public Tensor? Step(Func<Tensor>? closure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Tensor? loss = null;
        if (closure is not null)
        {
            using var enabled = enable_grad();
            loss = closure();
        }
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var bucket in _buckets)
        {
            var gradients = bucket.Parameters.Gradients;
            var inPlace = _rule.ReadsGradientsInPlace(bucket);
            var missing = inPlace ? gradients.Locate(bucket.GradientAddresses) : gradients.Attach();
            if (missing.Count == 0 && bucket.Bind(_rule, checkSteps: true))
            {
                _rule.Whole(bucket, inPlace ? bucket.GradientAddresses : null);
                continue;
            }
            for (var i = 0; i < bucket.States.Length; i++)
            {
                if (missing.Contains(i)) continue;
                var parameter = gradients.Parameters[i];
                using var grad = parameter.grad!;
                _rule.Single(bucket.Group, parameter, grad, bucket.States[i]);
            }
        }
        foreach (var (group, parameter) in _loose)
        {
            var grad = parameter.grad;
            if (grad is not null) _rule.Single(group, parameter, grad, _stateOf(parameter));
        }
        return loss;
    }

    public void Dispose()
    {
        foreach (var bucket in _buckets) bucket.Dispose();
        _buckets.Clear();
        _disposed = true;
    }
}
