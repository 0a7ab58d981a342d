using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning.Strategies;

/// <summary>
/// Makes one BatchNorm layer normalise with the statistics of all ranks' batches in training (Lightning's
/// <c>sync_batchnorm</c>, PyTorch's <c>SyncBatchNorm</c>). TorchSharp's BatchNorm classes are sealed and a module's
/// fields may hold them by their own type, so the layer is not replaced (as <c>convert_sync_batchnorm</c> does in
/// PyTorch) but hooked: in training, a forward pre-hook runs the layer's own forward in evaluation mode, which leaves
/// its running statistics alone, and the forward hook returns the synchronised output instead and updates the running
/// statistics as PyTorch does. The layer, its parameters and its state-dict keys stay as they are. Hooks run when the
/// layer is invoked with <c>call</c>, as <c>Sequential</c> does; <see cref="CheckCalled"/> finds a layer run with
/// <c>forward</c> directly, which the hooks cannot see.
/// </summary>
internal sealed class SyncBatchNorm : IDisposable
{
    private readonly BatchNorm _layer;
    private readonly string _name;
    private readonly Strategy _strategy;
    private readonly List<Action> _removers = [];
    private long _trackedAtStart;
    private long? _trackedByHook;
    private bool _switched;

    private SyncBatchNorm(BatchNorm layer, string name, Strategy strategy)
    {
        _layer = layer;
        _name = name;
        _strategy = strategy;
        var pre = layer.register_forward_pre_hook((_, input) =>
        {
            if (!layer.training) return input;
            layer.eval();
            _switched = true;
            return input;
        });
        var post = layer.register_forward_hook((_, input, output) =>
        {
            if (!_switched) return output;
            _switched = false;
            layer.train();
            output.Dispose();
            return Forward(input);
        });
        _removers.Add(pre.remove);
        _removers.Add(post.remove);
    }

    /// <summary>Hooks every BatchNorm layer of <paramref name="module"/> to normalise over all ranks of <paramref name="strategy"/>.</summary>
    public static IReadOnlyList<SyncBatchNorm> Convert(nn.Module module, Strategy strategy) =>
        module.named_modules().Where(m => m.module is BatchNorm).Select(m => new SyncBatchNorm((BatchNorm)m.module, m.name, strategy)).ToList();

    /// <summary>Notes the layer's batch counter before a step that <see cref="CheckCalled"/> checks.</summary>
    public void Watch()
    {
        _trackedAtStart = Tracked();
        _trackedByHook = null;
    }

    /// <summary>
    /// Throws if the layer ran in training without its hooks since <see cref="Watch"/> (its <c>forward</c> called directly), where it would have
    /// normalised with this rank's statistics alone. Seen through its batch counter, so only for layers that track running statistics.
    /// </summary>
    public void CheckCalled()
    {
        if (_layer.num_batches_tracked is null || Tracked() == (_trackedByHook ?? _trackedAtStart)) return;
        throw new InvalidOperationException(
            $"SyncBatchnorm: the BatchNorm layer '{_name}' ran in training through forward(), which skips the hooks that synchronise it across processes, " +
            $"so it normalised with this process's batch alone. Invoke it with call() (as Sequential does): {_name}.call(x) instead of {_name}.forward(x).");
    }

    private long Tracked() => _layer.num_batches_tracked?.item<long>() ?? 0;

    private Tensor Forward(Tensor input)
    {
        Tensor mean, invstd;
        double rows;
        using (no_grad())
        {
            var statsType = input.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
            var x = input.detach().to(statsType);
            var dims = SyncBatchNormFunction.ReducedDims(x);
            var channels = x.shape[1];
            var localMean = x.mean(dims);
            var localVar = (x - localMean.view([1, channels, .. Enumerable.Repeat(1L, (int)x.dim() - 2)])).square().mean(dims);
            var localRows = full(1, x.numel() / channels, statsType, x.device);
            // Each rank's mean, variance and rows, combined as in the parallel variance algorithm.
            var all = _strategy.AllGather(cat([localMean, localVar, localRows]));
            var counts = all.narrow(1, 2 * channels, 1);
            var total = counts.sum();
            rows = total.to(ScalarType.Float64).item<double>();
            var means = all.narrow(1, 0, channels);
            mean = (means * counts).sum(0L) / total;
            var variance = ((all.narrow(1, channels, channels) + (means - mean).square()) * counts).sum(0L) / total;
            invstd = (variance + _layer.eps).rsqrt();
            if (_layer.track_running_stats && _layer.running_mean is not null && _layer.running_var is not null)
            {
                _layer.num_batches_tracked!.add_(1);
                _trackedByHook = Tracked();
                var factor = _layer.momentum ?? 1.0 / _trackedByHook.Value;
                _layer.running_mean.mul_(1 - factor).add_(mean.to(_layer.running_mean.dtype), alpha: factor);
                _layer.running_var.mul_(1 - factor).add_((variance * (rows / Math.Max(rows - 1, 1))).to(_layer.running_var.dtype), alpha: factor);
            }
            mean = mean.to(input.dtype);
            invstd = invstd.to(input.dtype);
        }
        return SyncBatchNormFunction.apply(input, _layer.weight, _layer.bias, mean, invstd, rows, _strategy);
    }

    /// <summary>Removes the hooks.</summary>
    public void Dispose()
    {
        foreach (var remove in _removers) remove();
        _removers.Clear();
    }
}
