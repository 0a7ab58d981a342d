using System.Globalization;
using Lightning.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Loops;

/// <summary>
/// The position of a fit beyond epoch, step and batch (which the <see cref="Trainer"/> shows): the phase inside
/// the epoch, the counters the loops keep, and the epoch's metric aggregates and kept outputs. Saved in every
/// checkpoint as <c>loops.fit_loop</c>, it is what makes a resumed fit continue exactly where the saved one was.
/// </summary>
internal sealed class FitProgress
{
    /// <summary>Where in the epoch fitting stands.</summary>
    public FitPhase Phase { get; set; }

    /// <summary>Whether the latest batch took an optimizer step (its step metrics may then go to the loggers).</summary>
    public bool BatchStepped { get; set; }

    /// <summary>Training batches run in this fit across epochs (validation intervals counted across epochs use it).</summary>
    public long TotalBatchIdx { get; set; }

    /// <summary>Validation batches run in this fit, the sanity check's included: the step their step metrics are logged at.</summary>
    public long ValidationLoggedSteps { get; set; }

    /// <summary>The running training epoch's logged metrics.</summary>
    public ResultCollection? EpochResults { get; set; }

    /// <summary>The running epoch's step outputs, kept for a 0.x <c>TrainingEpochEnd</c>.</summary>
    public List<StepOutput>? EpochOutputs { get; set; }

    /// <summary>Back to the start of a fit.</summary>
    public void Reset()
    {
        Phase = FitPhase.EpochStart;
        BatchStepped = false;
        TotalBatchIdx = 0;
        ValidationLoggedSteps = 0;
        EpochResults = null;
        EpochOutputs = null;
    }

    /// <summary>The position with the trainer's counters, as a checkpoint holds it.</summary>
    public Dictionary<string, object?> StateDict(Trainer trainer)
    {
        var midEpoch = Phase != FitPhase.EpochStart;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["epoch"] = trainer.CurrentEpoch,
            ["global_step"] = trainer.GlobalStep,
            ["batches_completed"] = trainer.BatchesCompletedInEpoch,
            ["phase"] = Phase.ToString(),
            ["batch_stepped"] = BatchStepped,
            ["total_batch_idx"] = TotalBatchIdx,
            ["validation_logged_steps"] = ValidationLoggedSteps,
            ["accumulate_grad_batches"] = trainer.AccumulateGradBatches,
            ["should_stop"] = trainer.ShouldStop,
            ["world_size"] = trainer.WorldSize,
            ["epoch_metrics"] = midEpoch ? EpochResults?.StateDict() : null,
            ["epoch_outputs"] = midEpoch ? EpochOutputs?.Select(o => (object?)Save(o)).ToList() : null,
        };
    }

    /// <summary>
    /// Restores <see cref="StateDict"/>: the trainer's counters and this position, and the epoch's aggregates
    /// into <see cref="EpochResults"/>. A stop request is restored only from inside an epoch, where it had not yet
    /// taken effect; a fit that ended on one (or on a step limit) can be continued.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, object?> state, Trainer trainer)
    {
        trainer.CurrentEpoch = Convert.ToInt32(state["epoch"], CultureInfo.InvariantCulture);
        trainer.GlobalStep = Convert.ToInt64(state["global_step"], CultureInfo.InvariantCulture);
        trainer.BatchesCompletedInEpoch = Convert.ToInt32(state["batches_completed"], CultureInfo.InvariantCulture);
        trainer.AccumulateGradBatches = Convert.ToInt32(state["accumulate_grad_batches"], CultureInfo.InvariantCulture);
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
