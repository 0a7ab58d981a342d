using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// Stochastic Weight Averaging (Lightning's <c>StochasticWeightAveraging</c>): from epoch
/// <see cref="SwaEpochStart"/> on, every optimizer group's learning rate anneals to <see cref="SwaLrs"/> over
/// <see cref="AnnealingEpochs"/> epochs (PyTorch's <c>SWALR</c>; other schedulers have no say then), and at the start of
/// each epoch from then to the last the weights join an equal-weight average, which the module takes when training
/// ends. A module with batch-norm layers gets one more epoch, as in Lightning, that recomputes their running statistics
/// for the averaged weights (a cumulative average over the training data); its steps run with a learning rate of 0,
/// which leaves the weights as they are. The average goes into checkpoints, so a resumed fit continues it.
/// </summary>
public sealed class StochasticWeightAveraging : Callback
{
    private const string AverageKey = "swa_average_model_state";
    private readonly CountOrFraction _swaEpochStart;
    private Dictionary<string, Tensor>? _average;
    private List<double>? _startLrs;
    private long _numAveraged;
    private int _latestUpdateEpoch = -1;
    private int _swaStart;
    private int _swaEnd;
    private int? _extraEpochFor;
    private Dictionary<BatchNorm, double?>? _momenta;

    /// <summary>Creates the callback.</summary>
    /// <param name="swaLrs">The SWA learning rate: one for every group, or one per group of the optimizer.</param>
    /// <param name="swaEpochStart">The epoch (a count) or share of the epochs (a fraction, Lightning's default 0.8) from which to average.</param>
    /// <param name="annealingEpochs">Epochs over which the rate moves to the SWA rate.</param>
    /// <param name="annealingStrategy">How it moves.</param>
    public StochasticWeightAveraging(IReadOnlyList<double> swaLrs, CountOrFraction? swaEpochStart = null, int annealingEpochs = 10,
        SwaAnnealingStrategy annealingStrategy = SwaAnnealingStrategy.Cos)
    {
        ArgumentNullException.ThrowIfNull(swaLrs);
        if (swaLrs.Count == 0 || swaLrs.Any(lr => !(lr > 0)))
            throw new ArgumentOutOfRangeException(nameof(swaLrs), "StochasticWeightAveraging(swaLrs:) must be positive learning rates, for example 1e-2.");
        var start = swaEpochStart ?? 0.8;
        if (start.Count is < 1 || start.Fraction is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(swaEpochStart), start, "StochasticWeightAveraging(swaEpochStart:) must be an epoch of 1 or more, or a fraction in (0, 1].");
        ArgumentOutOfRangeException.ThrowIfNegative(annealingEpochs);
        SwaLrs = swaLrs.ToList();
        _swaEpochStart = start;
        AnnealingEpochs = annealingEpochs;
        AnnealingStrategy = annealingStrategy;
    }

    /// <summary>Creates the callback with one SWA learning rate for every group.</summary>
    public StochasticWeightAveraging(double swaLr, CountOrFraction? swaEpochStart = null, int annealingEpochs = 10,
        SwaAnnealingStrategy annealingStrategy = SwaAnnealingStrategy.Cos)
        : this([swaLr], swaEpochStart, annealingEpochs, annealingStrategy)
    {
    }

    /// <summary>The SWA learning rates.</summary>
    public IReadOnlyList<double> SwaLrs { get; }

    /// <summary>The first averaged epoch, once fitting started.</summary>
    public int SwaEpochStart => _swaStart;

    /// <summary>Epochs over which the rate anneals.</summary>
    public int AnnealingEpochs { get; }

    /// <summary>How the rate anneals.</summary>
    public SwaAnnealingStrategy AnnealingStrategy { get; }

    /// <summary>How many epochs' weights the average holds.</summary>
    public long NumAveraged => _numAveraged;

    /// <inheritdoc />
    public override void OnFitStart(Trainer trainer, LightningModule module)
    {
        if (trainer.Optimizers.Count != 1)
            throw new InvalidOperationException($"StochasticWeightAveraging works with one optimizer, and ConfigureOptimizers returned {trainer.Optimizers.Count}.");
        var maxEpochs = trainer.MaxEpochs;
        if (maxEpochs < 1)
            throw new InvalidOperationException("StochasticWeightAveraging needs TrainerOptions.MaxEpochs, to know the last epoch to average.");
        _swaStart = _swaEpochStart.Count ?? (int)(maxEpochs * _swaEpochStart.Fraction!.Value);
        _swaEnd = maxEpochs - 1;
        if (_swaStart > _swaEnd)
            throw new InvalidOperationException($"StochasticWeightAveraging starts at epoch {_swaStart}, after the last epoch ({_swaEnd}); start earlier or train longer.");
        if (module.modules().OfType<BatchNorm>().Any())
        {
            // One more epoch for the batch-norm statistics, given back when training ends.
            _extraEpochFor = trainer.Options.MaxEpochs;
            trainer.Options.MaxEpochs = maxEpochs + 1;
        }
        _average ??= WeightCopies.Clone(module.state_dict());
    }

    /// <inheritdoc />
    public override void OnTrainEpochStart(Trainer trainer, LightningModule module)
    {
        var epoch = trainer.CurrentEpoch;
        var optimizer = trainer.Optimizers[0];
        if (epoch >= _swaStart && epoch <= _swaEnd)
        {
            var groups = optimizer.ParamGroups.ToList();
            if (SwaLrs.Count != 1 && SwaLrs.Count != groups.Count)
                throw new InvalidOperationException($"StochasticWeightAveraging was given {SwaLrs.Count} SWA learning rates for an optimizer with {groups.Count} parameter groups; give one, or one per group.");
            _startLrs ??= groups.Select(g => g.LearningRate).ToList();
            if (epoch > _latestUpdateEpoch)
            {
                Update(module);
                _latestUpdateEpoch = epoch;
            }
        }
        else if (epoch == _swaEnd + 1 && _average is not null)
        {
            WeightCopies.CopyInto(_average, module);
            ResetBatchNorm(module);
        }
    }

    /// <inheritdoc />
    public override void OnTrainBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx)
    {
        // Set before every step, so no other scheduler changes the rate while SWA runs.
        var epoch = trainer.CurrentEpoch;
        if (epoch < _swaStart || _startLrs is null) return;
        var groups = trainer.Optimizers[0].ParamGroups.ToList();
        for (var i = 0; i < groups.Count; i++)
            groups[i].LearningRate = epoch > _swaEnd ? 0 : LearningRate(epoch - _swaStart, _startLrs[i], SwaLrs[SwaLrs.Count == 1 ? 0 : i]);
    }

    /// <inheritdoc />
    public override void OnTrainEnd(Trainer trainer, LightningModule module)
    {
        if (_momenta is not null)
        {
            foreach (var (layer, momentum) in _momenta) layer.momentum = momentum;
            _momenta = null;
        }
        else if (_latestUpdateEpoch == _swaEnd && _average is not null)
        {
            WeightCopies.CopyInto(_average, module);
        }
        RestoreMaxEpochs(trainer);
    }

    /// <inheritdoc />
    public override void OnException(Trainer trainer, LightningModule module, Exception exception) => RestoreMaxEpochs(trainer);

    /// <summary>
    /// The rate in SWA epoch <paramref name="swaEpoch"/> (0 the first), as PyTorch's <c>SWALR</c> sets it: it moves from
    /// <paramref name="startLr"/> to <paramref name="swaLr"/> over <see cref="AnnealingEpochs"/> epochs.
    /// </summary>
    public double LearningRate(int swaEpoch, double startLr, double swaLr)
    {
        var step = AnnealingEpochs == 0 ? Math.Max(1, swaEpoch) : swaEpoch;
        var t = Math.Clamp((double)step / Math.Max(1, AnnealingEpochs), 0, 1);
        var alpha = AnnealingStrategy == SwaAnnealingStrategy.Linear ? t : (1 - Math.Cos(Math.PI * t)) / 2;
        return swaLr * alpha + startLr * (1 - alpha);
    }

    /// <inheritdoc />
    public override void OnSaveCheckpoint(Trainer trainer, LightningModule module, IDictionary<string, object?> checkpoint)
    {
        if (_average is not null) checkpoint[AverageKey] = _average.ToDictionary(e => e.Key, e => (object?)e.Value, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public override void OnLoadCheckpoint(Trainer trainer, LightningModule module, IReadOnlyDictionary<string, object?> checkpoint)
    {
        if (checkpoint.GetValueOrDefault(AverageKey) is not Dictionary<string, object?> average) return;
        WeightCopies.Dispose(_average);
        _average = WeightCopies.Clone(average);
    }

    /// <inheritdoc />
    public override IDictionary<string, object?> StateDict() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["n_averaged"] = _numAveraged,
        ["latest_update_epoch"] = (long)_latestUpdateEpoch,
        ["start_lrs"] = _startLrs?.Cast<object?>().ToList(),
    };

    /// <inheritdoc />
    public override void LoadStateDict(IReadOnlyDictionary<string, object?> state)
    {
        _numAveraged = Convert.ToInt64(state.GetValueOrDefault("n_averaged") ?? 0L, CultureInfo.InvariantCulture);
        _latestUpdateEpoch = Convert.ToInt32(state.GetValueOrDefault("latest_update_epoch") ?? -1L, CultureInfo.InvariantCulture);
        _startLrs = (state.GetValueOrDefault("start_lrs") as IEnumerable<object?>)?.Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToList();
    }

    // PyTorch's equal-weight average: the first update copies, then average += (current - average) / (n + 1).
    private void Update(LightningModule module)
    {
        var n = _numAveraged;
        WeightCopies.Update(_average!, module, n, (average, current) => average.add_((current - average) / (n + 1)));
        _numAveraged++;
    }

    // As PyTorch's update_bn: fresh statistics, accumulated as a plain average over the epoch (momentum null).
    private void ResetBatchNorm(LightningModule module)
    {
        _momenta = [];
        foreach (var layer in module.modules().OfType<BatchNorm>())
        {
            _momenta[layer] = layer.momentum;
            layer.reset_running_stats();
            layer.momentum = null;
        }
    }

    private void RestoreMaxEpochs(Trainer trainer)
    {
        if (_extraEpochFor is null) return;
        trainer.Options.MaxEpochs = _extraEpochFor;
        _extraEpochFor = null;
    }
}
