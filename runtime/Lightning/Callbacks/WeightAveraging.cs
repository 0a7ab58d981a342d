using System.Globalization;
using Lightning.Checkpointing;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// Keeps an average of the module's weights while it trains (Lightning's <c>WeightAveraging</c>): after the training
/// steps (or epochs) that <see cref="ShouldUpdate"/> picks, the average takes in the current weights by
/// <see cref="Average"/>. Validation runs with the averaged weights in place of the current ones, checkpoints hold the
/// averaged weights as their <c>state_dict</c> (the current ones under <c>current_model_state</c>, so fitting resumes
/// from them), and when training ends the module keeps the averaged weights. Parameters and buffers are averaged alike
/// (Lightning's default <c>use_buffers=True</c>); integer buffers, such as a batch count, take the current value.
/// </summary>
public abstract class WeightAveraging : Callback
{
    /// <summary>The checkpoint key of the current (not averaged) weights, as Lightning names it.</summary>
    public const string CurrentModelStateKey = "current_model_state";

    private Dictionary<string, Tensor>? _averaged;
    private Dictionary<string, Tensor>? _resumedCurrent;
    private long _latestUpdateStep;
    private long _numAveraged;

    /// <summary>How many times the average has taken in the current weights.</summary>
    public long NumAveraged => _numAveraged;

    /// <summary>A copy of the averaged weights by state-dict name, or null before fitting starts.</summary>
    public IReadOnlyDictionary<string, Tensor>? AveragedWeights => _averaged?.ToDictionary(e => e.Key, e => e.Value.detach().clone(), StringComparer.Ordinal);

    /// <summary>
    /// Whether to update the average after optimizer step <paramref name="stepIdx"/> (0-based; given after each
    /// training batch that stepped) or after epoch <paramref name="epochIdx"/> (given at each training epoch's end).
    /// The default updates after every step, as Lightning's.
    /// </summary>
    public virtual bool ShouldUpdate(long? stepIdx = null, int? epochIdx = null) => stepIdx is not null;

    /// <summary>
    /// Takes <paramref name="current"/> into <paramref name="averaged"/> in place; <paramref name="numAveraged"/> is how
    /// many updates the average already holds (at least 1: the first update copies).
    /// </summary>
    protected abstract void Average(Tensor averaged, Tensor current, long numAveraged);

    /// <inheritdoc />
    public override void OnFitStart(Trainer trainer, LightningModule module)
    {
        if (_resumedCurrent is { } current)
        {
            // The trainer restored the checkpoint's state_dict, which is the average; training goes on from the current weights.
            WeightCopies.CopyInto(current, module);
            WeightCopies.Dispose(current);
            _resumedCurrent = null;
        }
        _averaged ??= WeightCopies.Clone(module.state_dict());
    }

    /// <inheritdoc />
    public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx)
    {
        // Once per optimizer step: under gradient accumulation several batches end on the same step.
        if (trainer.GlobalStep <= _latestUpdateStep || !ShouldUpdate(stepIdx: trainer.GlobalStep - 1)) return;
        Update(module);
        _latestUpdateStep = trainer.GlobalStep;
    }

    /// <inheritdoc />
    public override void OnTrainEpochEnd(Trainer trainer, LightningModule module)
    {
        if (ShouldUpdate(epochIdx: trainer.CurrentEpoch)) Update(module);
    }

    /// <inheritdoc />
    public override void OnTrainEnd(Trainer trainer, LightningModule module)
    {
        if (_averaged is not null) WeightCopies.CopyInto(_averaged, module);
    }

    /// <inheritdoc />
    public override void OnValidationEpochStart(Trainer trainer, LightningModule module)
    {
        if (_averaged is not null) Swap(module);
    }

    /// <inheritdoc />
    public override void OnValidationEpochEnd(Trainer trainer, LightningModule module)
    {
        if (_averaged is not null) Swap(module);
    }

    /// <inheritdoc />
    public override void OnSaveCheckpoint(Trainer trainer, LightningModule module, IDictionary<string, object?> checkpoint)
    {
        if (_averaged is null) return;
        checkpoint[CurrentModelStateKey] = checkpoint[CheckpointKeys.StateDict];
        checkpoint[CheckpointKeys.StateDict] = _averaged.ToDictionary(e => e.Key, e => (object?)e.Value, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public override void OnLoadCheckpoint(Trainer trainer, LightningModule module, IReadOnlyDictionary<string, object?> checkpoint)
    {
        if (checkpoint.GetValueOrDefault(CurrentModelStateKey) is not Dictionary<string, object?> current ||
            checkpoint.GetValueOrDefault(CheckpointKeys.StateDict) is not Dictionary<string, object?> averaged)
            return;
        // The checkpoint's tensors are freed after loading, so both are kept as copies.
        WeightCopies.Dispose(_averaged);
        _averaged = WeightCopies.Clone(averaged);
        WeightCopies.Dispose(_resumedCurrent);
        _resumedCurrent = WeightCopies.Clone(current);
    }

    /// <inheritdoc />
    public override IDictionary<string, object?> StateDict() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["latest_update_step"] = _latestUpdateStep,
        ["n_averaged"] = _numAveraged,
    };

    /// <inheritdoc />
    public override void LoadStateDict(IReadOnlyDictionary<string, object?> state)
    {
        _latestUpdateStep = Convert.ToInt64(state.GetValueOrDefault("latest_update_step") ?? 0L, CultureInfo.InvariantCulture);
        _numAveraged = Convert.ToInt64(state.GetValueOrDefault("n_averaged") ?? 0L, CultureInfo.InvariantCulture);
    }

    private void Update(LightningModule module)
    {
        var averaged = _averaged ??= WeightCopies.Clone(module.state_dict());
        WeightCopies.Update(averaged, module, _numAveraged, (target, current) => Average(target, current, _numAveraged));
        _numAveraged++;
    }

    private void Swap(LightningModule module)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, current) in module.state_dict())
        {
            var held = current.clone();
            current.copy_(_averaged![name]);
            _averaged[name].copy_(held);
        }
    }
}
