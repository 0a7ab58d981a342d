using Lightning.Hooks;
using StageHook = (string Name, System.Action<Lightning.Callback, Lightning.Trainer, Lightning.LightningModule> Callback,
    System.Action<Lightning.LightningModule> Module);

namespace Lightning.Loops;

/// <summary>
/// What differs between validation and test in an <see cref="EvaluationLoop{TBatch}"/>, chosen once per loop: the
/// hooks it calls (each with its name, the callbacks' and the module's form), its limits and the names its messages use.
/// </summary>
internal sealed class EvaluationStage<TBatch>
{
    /// <summary>Validation, in a fit or from <c>Trainer.Validate</c>.</summary>
    public static EvaluationStage<TBatch> Validation { get; } = new()
    {
        Running = RunningStage.Validating,
        EntryPoint = "Validate",
        Noun = "validation",
        LoaderHook = HookNames.ValDataLoader,
        Off = Limits.ValOff,
        Limit = Limits.Val,
        SetBatchCounts = (t, counts) => t.NumValBatches = counts,
        ModelEval = (HookNames.OnValidationModelEval, m => m.OnValidationModelEval()),
        ModelTrain = (HookNames.OnValidationModelTrain, m => m.OnValidationModelTrain()),
        Start = (HookNames.OnValidationStart, (c, t, m) => c.OnValidationStart(t, m), m => m.OnValidationStart()),
        EpochStart = (HookNames.OnValidationEpochStart, (c, t, m) => c.OnValidationEpochStart(t, m), m => m.OnValidationEpochStart()),
        BatchStart = (HookNames.OnValidationBatchStart, (c, t, m, batch, i, dl) => c.OnValidationBatchStart(t, m, batch!, i, dl),
            (m, batch, i, dl) => m.OnValidationBatchStart(batch, i, dl)),
        Step = (HookNames.ValidationStep, (m, batch, i, dl) => m.ValidationStep(batch, i, dl)),
        BatchEnd = (HookNames.OnValidationBatchEnd, (c, t, m, output, batch, i, dl) => c.OnValidationBatchEnd(t, m, output, batch!, i, dl),
            (m, output, batch, i, dl) => m.OnValidationBatchEnd(output, batch, i, dl)),
        Outputs = (HookNames.ValidationEpochEnd, (m, outputs) => m.ValidationEpochEnd(outputs)),
        EpochEnd = (HookNames.OnValidationEpochEnd, (c, t, m) => c.OnValidationEpochEnd(t, m), m => m.OnValidationEpochEnd()),
        End = (HookNames.OnValidationEnd, (c, t, m) => c.OnValidationEnd(t, m), m => m.OnValidationEnd()),
    };

    /// <summary>Testing, from <c>Trainer.Test</c>.</summary>
    public static EvaluationStage<TBatch> Test { get; } = new()
    {
        Running = RunningStage.Testing,
        EntryPoint = "Test",
        Noun = "test",
        LoaderHook = HookNames.TestDataLoader,
        Off = Limits.TestOff,
        Limit = Limits.Test,
        SetBatchCounts = (t, counts) => t.NumTestBatches = counts,
        ModelEval = (HookNames.OnTestModelEval, m => m.OnTestModelEval()),
        ModelTrain = (HookNames.OnTestModelTrain, m => m.OnTestModelTrain()),
        Start = (HookNames.OnTestStart, (c, t, m) => c.OnTestStart(t, m), m => m.OnTestStart()),
        EpochStart = (HookNames.OnTestEpochStart, (c, t, m) => c.OnTestEpochStart(t, m), m => m.OnTestEpochStart()),
        BatchStart = (HookNames.OnTestBatchStart, (c, t, m, batch, i, dl) => c.OnTestBatchStart(t, m, batch!, i, dl),
            (m, batch, i, dl) => m.OnTestBatchStart(batch, i, dl)),
        Step = (HookNames.TestStep, (m, batch, i, dl) => m.TestStep(batch, i, dl)),
        BatchEnd = (HookNames.OnTestBatchEnd, (c, t, m, output, batch, i, dl) => c.OnTestBatchEnd(t, m, output, batch!, i, dl),
            (m, output, batch, i, dl) => m.OnTestBatchEnd(output, batch, i, dl)),
        Outputs = (HookNames.TestEpochEnd, (m, outputs) => m.TestEpochEnd(outputs)),
        EpochEnd = (HookNames.OnTestEpochEnd, (c, t, m) => c.OnTestEpochEnd(t, m), m => m.OnTestEpochEnd()),
        End = (HookNames.OnTestEnd, (c, t, m) => c.OnTestEnd(t, m), m => m.OnTestEnd()),
    };

    /// <summary>The trainer's stage while the loop runs outside the sanity check.</summary>
    public required RunningStage Running { get; init; }

    /// <summary>The trainer's method that runs this stage alone, for messages.</summary>
    public required string EntryPoint { get; init; }

    /// <summary>The stage's name in the loaders' messages.</summary>
    public required string Noun { get; init; }

    /// <summary>The module's loader hook, for messages.</summary>
    public required string LoaderHook { get; init; }

    /// <summary>Whether a limit of 0 turns the stage off.</summary>
    public required Func<Trainer, bool> Off { get; init; }

    /// <summary>The batches a loader gives after the limits.</summary>
    public required Func<Trainer, IEnumerable<TBatch>, int> Limit { get; init; }

    /// <summary>Publishes the batch count of each loader on the trainer.</summary>
    public required Action<Trainer, IReadOnlyList<int>> SetBatchCounts { get; init; }

    public required (string Name, Action<LightningModule> Call) ModelEval { get; init; }

    public required (string Name, Action<LightningModule> Call) ModelTrain { get; init; }

    public required StageHook Start { get; init; }

    public required StageHook EpochStart { get; init; }

    public required (string Name, Action<Callback, Trainer, LightningModule, TBatch, int, int> Callback, Action<LightningModule<TBatch>, TBatch, int, int> Module)
        BatchStart { get; init; }

    public required (string Name, Func<LightningModule<TBatch>, TBatch, int, int, StepOutput?> Call) Step { get; init; }

    public required (string Name, Action<Callback, Trainer, LightningModule, StepOutput?, TBatch, int, int> Callback,
        Action<LightningModule<TBatch>, StepOutput?, TBatch, int, int> Module) BatchEnd { get; init; }

    /// <summary>The 0.x epoch-end hook that gets the steps' outputs.</summary>
    public required (string Name, Func<LightningModule, IReadOnlyList<StepOutput>, StepOutput?> Call) Outputs { get; init; }

    public required StageHook EpochEnd { get; init; }

    public required StageHook End { get; init; }
}
