using System.Globalization;
using Lightning.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Loops;

/// <summary>
/// The position of a fit, owned by the loops (Lightning's loop progress): epoch, optimizer steps, the batch in the
/// epoch, the accumulation in force, the phase inside the epoch, the loops' counters, and the epoch's metric
/// aggregates and kept outputs. The loops change it only through its methods; the <see cref="Trainer"/> shows it
/// read-only. It also decides when an epoch and when the fit are done. Saved in every checkpoint as
/// <c>loops.fit_loop</c>, it is what makes a resumed fit continue exactly where the saved one was.
/// </summary>
internal sealed class FitProgress
{
    private readonly Trainer _trainer;
    private long _stepAtBatchStart;

    /// <param name="trainer">The trainer whose limits and stop requests the done checks read.</param>
    public FitProgress(Trainer trainer) => _trainer = trainer;

    /// <summary>Whether a fit has started on this trainer: a later fit continues from this position.</summary>
    public bool Started { get; private set; }

    /// <summary>The current training epoch, counting from 0.</summary>
    public int Epoch { get; private set; }

    /// <summary>The number of optimizer steps taken.</summary>
    public long GlobalStep { get; private set; }

    /// <summary>The index of the latest training batch in its epoch.</summary>
    public int BatchIdx { get; private set; }

    /// <summary>Training batches completed in the current epoch (the position a mid-epoch resume continues from).</summary>
    public int BatchesCompleted { get; private set; }

    /// <summary>The gradient accumulation in force.</summary>
    public int AccumulateGradBatches { get; private set; } = 1;

    /// <summary>Training batches in the current epoch after limits, or null for a loader of unknown length.</summary>
    public int? NumTrainingBatches { get; private set; }

    /// <summary>Where in the epoch fitting stands.</summary>
    public FitPhase Phase { get; set; }

    /// <summary>Whether the latest batch took an optimizer step (its step metrics may then go to the loggers).</summary>
    public bool BatchStepped { get; private set; }

    /// <summary>Training batches run in this fit across epochs (validation intervals counted across epochs use it).</summary>
    public long TotalBatchIdx { get; private set; }

    /// <summary>Validation batches run in this fit, the sanity check's included: the step their step metrics are logged at.</summary>
    public long ValidationLoggedSteps { get; set; }

    /// <summary>The running training epoch's logged metrics.</summary>
    public ResultCollection? EpochResults { get; set; }

    /// <summary>The running epoch's step outputs, kept for a 0.x <c>TrainingEpochEnd</c>.</summary>
    public List<StepOutput>? EpochOutputs { get; set; }

    /// <summary>The start of a first fit: epoch 0, no step taken, the accumulation the options ask for.</summary>
    public void Start(int accumulateGradBatches)
    {
        Started = true;
        Epoch = 0;
        GlobalStep = 0;
        BatchesCompleted = 0;
        AccumulateGradBatches = accumulateGradBatches;
        Phase = FitPhase.EpochStart;
        BatchStepped = false;
        TotalBatchIdx = 0;
        ValidationLoggedSteps = 0;
        EpochResults = null;
        EpochOutputs = null;
    }

    /// <summary>Sets the accumulation for the epoch starting (what a <see cref="GradientAccumulationScheduler"/> asks for).</summary>
    public void Accumulate(int batches) => AccumulateGradBatches = batches;

    /// <summary>Records the epoch's size after limits, as the epoch starts.</summary>
    public void SizeEpoch(int? batches) => NumTrainingBatches = batches;

    /// <summary>A training batch starts.</summary>
    public void StartBatch(int batchIdx)
    {
        BatchIdx = batchIdx;
        _stepAtBatchStart = GlobalStep;
    }

    /// <summary>An optimizer step was taken (or counted, as Lightning counts one the loss scaler or a skipped batch left out).</summary>
    public void CountStep() => GlobalStep++;

    /// <summary>The batch ran through its <c>OnTrainBatchEnd</c> hooks.</summary>
    public void CompleteBatch()
    {
        BatchesCompleted = BatchIdx + 1;
        TotalBatchIdx++;
        BatchStepped = GlobalStep != _stepAtBatchStart;
        Phase = FitPhase.BatchEnded;
    }

    /// <summary>On to the next epoch.</summary>
    public void NextEpoch()
    {
        Epoch++;
        BatchesCompleted = 0;
        Phase = FitPhase.EpochStart;
    }

    /// <summary>
    /// Whether the epoch ends after the batch just done, before its last one: the step limit is reached, or a stop
    /// request may take effect. (The last batch, after <c>LimitTrainBatches</c> or <c>FastDevRun</c>, ends it too.)
    /// </summary>
    public bool EpochDone => StepLimitReached || StopTakesEffect;

    /// <summary>Whether fitting is over: the step or the epoch limit reached, or a stop request that may take effect.</summary>
    public bool FitDone => StepLimitReached || (_trainer.MaxEpochs != -1 && Epoch >= _trainer.MaxEpochs) || StopTakesEffect;

    /// <summary>Whether the epoch that ended had no training batches (a limit of 0), which ends fitting.</summary>
    public bool EpochWithoutBatches => BatchesCompleted == 0 && NumTrainingBatches == 0;

    /// <summary>
    /// Whether a stop request (<see cref="Trainer.ShouldStop"/>) takes effect now: <c>MinEpochs</c> and <c>MinSteps</c>
    /// are met, counting completed epochs.
    /// </summary>
    public bool StopTakesEffect =>
        _trainer.ShouldStop &&
        (_trainer.Options.MinEpochs is not { } minEpochs || Epoch >= minEpochs) &&
        (_trainer.Options.MinSteps is not { } minSteps || GlobalStep >= minSteps);

    private bool StepLimitReached => _trainer.MaxSteps != -1 && GlobalStep >= _trainer.MaxSteps;

    /// <summary>The position, with the trainer's stop request, as a checkpoint holds it.</summary>
    public Dictionary<string, object?> StateDict()
    {
        var trainer = _trainer;
        var midEpoch = Phase != FitPhase.EpochStart;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["epoch"] = Epoch,
            ["global_step"] = GlobalStep,
            ["batches_completed"] = BatchesCompleted,
            ["phase"] = Phase.ToString(),
            ["batch_stepped"] = BatchStepped,
            ["total_batch_idx"] = TotalBatchIdx,
            ["validation_logged_steps"] = ValidationLoggedSteps,
            ["accumulate_grad_batches"] = AccumulateGradBatches,
            ["should_stop"] = trainer.ShouldStop,
            ["world_size"] = trainer.WorldSize,
            ["epoch_metrics"] = midEpoch ? EpochResults?.StateDict() : null,
            ["epoch_outputs"] = midEpoch ? EpochOutputs?.Select(o => (object?)Save(o)).ToList() : null,
        };
    }

    /// <summary>
    /// Restores <see cref="StateDict"/>: the position, and the epoch's aggregates
    /// into <see cref="EpochResults"/>. A stop request is restored only from inside an epoch, where it had not yet
    /// taken effect; a fit that ended on one (or on a step limit) can be continued.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, object?> state)
    {
        var trainer = _trainer;
        Epoch = Convert.ToInt32(state["epoch"], CultureInfo.InvariantCulture);
        GlobalStep = Convert.ToInt64(state["global_step"], CultureInfo.InvariantCulture);
        BatchesCompleted = Convert.ToInt32(state["batches_completed"], CultureInfo.InvariantCulture);
        AccumulateGradBatches = Convert.ToInt32(state["accumulate_grad_batches"], CultureInfo.InvariantCulture);
        Phase = Enum.Parse<FitPhase>((string)state["phase"]!);
        BatchStepped = (bool)state["batch_stepped"]!;
        TotalBatchIdx = Convert.ToInt64(state["total_batch_idx"], CultureInfo.InvariantCulture);
        ValidationLoggedSteps = Convert.ToInt64(state["validation_logged_steps"], CultureInfo.InvariantCulture);
        if (Phase is not FitPhase.EpochStart and not FitPhase.EpochCut) trainer.ShouldStop |= (bool)state["should_stop"]!;
        if (state["epoch_metrics"] is List<object?> metrics) EpochResults?.LoadStateDict(metrics);
        if (state.GetValueOrDefault("world_size") is { } saved && Convert.ToInt32(saved, CultureInfo.InvariantCulture) is var savedWorld &&
            savedWorld != trainer.WorldSize && trainer.IsGlobalZero)
            Output.Warn(
                $"This checkpoint was saved by a fit on {savedWorld} process{(savedWorld == 1 ? "" : "es")} and resumes on {trainer.WorldSize}: each process's " +
                "share of the data and the batches per epoch differ, so the resumed fit goes on but does not repeat the one it continues exactly.");
        EpochOutputs = state["epoch_outputs"] is List<object?> outputs
            ? outputs.Select(o => Load((IReadOnlyDictionary<string, object?>)o!, trainer.RootDevice)).ToList()
            : null;
    }

    private static Dictionary<string, object?> Save(StepOutput output) => new(StringComparer.Ordinal)
    {
        ["values"] = output.ToDictionary(v => v.Key, v => (object?)v.Value, StringComparer.Ordinal),
        ["log"] = output.Log.ToDictionary(v => v.Key, v => (object?)v.Value, StringComparer.Ordinal),
        ["progress_bar"] = output.ProgressBar.ToDictionary(v => v.Key, v => (object?)v.Value, StringComparer.Ordinal),
    };

    // Copies: the checkpoint's tensors are disposed after restoring; the epoch-end hook reads these, then the loop disposes them.
    private static StepOutput Load(IReadOnlyDictionary<string, object?> saved, Device device)
    {
        var output = new StepOutput();
        foreach (var (key, value) in Tensors("values")) output[key] = value;
        foreach (var (key, value) in Tensors("log")) output.Log[key] = value;
        foreach (var (key, value) in Tensors("progress_bar")) output.ProgressBar[key] = value;
        return output;

        IEnumerable<(string, Tensor)> Tensors(string part) =>
            ((IReadOnlyDictionary<string, object?>)saved[part]!).Select(e => (e.Key, ((Tensor)e.Value!).to(device, copy: true)));
    }
}
