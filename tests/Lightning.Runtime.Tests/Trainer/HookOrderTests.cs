using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>
/// The order in which the trainer calls hooks, pinned against recorded lists the way Lightning's
/// <c>test_hooks.py</c> pins them, with its cases: fit, fit resumed under an epoch limit and under a step limit,
/// validate and test with 0 and 2 batches, predict. Mode switches, <c>zero_grad</c> and checkpoint hooks are recorded.
/// </summary>
[TestClass]
public sealed class HookOrderTests
{
    private static readonly string[] Transfer = ["OnBeforeBatchTransfer", "TransferBatchToDevice", "OnAfterBatchTransfer"];

    private static IEnumerable<string> TrainBatches(int batches, int accumulate = 1, bool scheduler = false, int first = 0)
    {
        for (var i = first; i < batches; i++)
        {
            foreach (var hook in Transfer) yield return hook;
            yield return "Callback.OnTrainBatchStart";
            yield return "OnTrainBatchStart";
            yield return "TrainingStep";
            if (i % accumulate == 0)
            {
                yield return "Callback.OnBeforeZeroGrad";
                yield return "OnBeforeZeroGrad";
                yield return "OptimizerZeroGrad";
            }
            yield return "Callback.OnBeforeBackward";
            yield return "OnBeforeBackward";
            yield return "Backward";
            yield return "Callback.OnAfterBackward";
            yield return "OnAfterBackward";
            if ((i + 1) % accumulate == 0 || i == batches - 1)
            {
                yield return "Callback.OnBeforeOptimizerStep";
                yield return "OnBeforeOptimizerStep";
                // Recorded on entry (Lightning's test records on return, so it lists clip_gradients first).
                yield return "ConfigureGradientClipping";
                yield return "ClipGradients";
                yield return "OptimizerStep";
                if (scheduler && i == batches - 1) yield return "LrSchedulerStep";
            }
            yield return "Callback.OnTrainBatchEnd";
            yield return "OnTrainBatchEnd";
        }
    }

    private static IEnumerable<string> EvalEpoch(string stage, int batches)
    {
        yield return $"Callback.On{stage}EpochStart";
        yield return $"On{stage}EpochStart";
        for (var i = 0; i < batches; i++)
        {
            foreach (var hook in Transfer) yield return hook;
            yield return $"Callback.On{stage}BatchStart";
            yield return $"On{stage}BatchStart";
            yield return $"{stage}Step";
            yield return $"Callback.On{stage}BatchEnd";
            yield return $"On{stage}BatchEnd";
        }
        yield return $"Callback.On{stage}EpochEnd";
        yield return $"On{stage}EpochEnd";
    }

    /// <summary>An evaluation run: eval mode, the stage's hooks, then each submodule's previous mode back (<c>train(True)</c> here).</summary>
    private static IEnumerable<string> Evaluation(string stage, int batches) =>
        new[] { $"On{stage}ModelEval", "train(False)", $"Callback.On{stage}Start", $"On{stage}Start" }
            .Concat(EvalEpoch(stage, batches))
            .Concat([$"Callback.On{stage}End", $"On{stage}End", "train(True)"]);

    private static IEnumerable<string> ValidationInFit(int batches) =>
        new[] { "OnValidationModelZeroGrad", "zero_grad" }.Concat(Evaluation("Validation", batches));

    /// <summary>The checkpoint the default ModelCheckpoint saves at the end of the epoch.</summary>
    private static readonly string[] SaveCheckpoint = ["Callback.StateDict", "Callback.OnSaveCheckpoint", "OnSaveCheckpoint"];

    private static (List<string> Called, Trainer Trainer) Fit(TrainerOptions options, bool scheduler = false, string? ckptPath = null)
    {
        var called = new List<string>();
        options.Callbacks.Add(new HookedCallback(called));
        var trainer = new Trainer(options);
        using var model = new HookedModel(called) { WithScheduler = scheduler };
        trainer.Fit(model, ckptPath: ckptPath);
        return (called, trainer);
    }

    /// <summary>Options as Lightning's hook tests use them: checkpointing on, no progress bar or summary.</summary>
    private static TrainerOptions Options(string? root = null)
    {
        var options = Quiet.Options();
        options.EnableCheckpointing = true;
        if (root is not null) options.DefaultRootDir = root;
        return options;
    }

    private static IEnumerable<string> FitStart() =>
        ["ConfigureCallbacks", "PrepareData", "Callback.Setup(Fit)", "Setup(Fit)", "ConfigureModel", "ConfigureOptimizers", "Callback.OnFitStart", "OnFitStart", "zero_grad"];

    private static IEnumerable<string> TrainStart() =>
        ["TrainDataLoader", "Callback.OnTrainStart", "OnTrainStart", "Callback.OnTrainEpochStart", "OnTrainEpochStart"];

    private static IEnumerable<string> EpochEnd() => new[] { "Callback.OnTrainEpochEnd", "OnTrainEpochEnd" }.Concat(SaveCheckpoint);

    private static IEnumerable<string> FitEnd() =>
        ["Callback.OnTrainEnd", "OnTrainEnd", "Callback.OnFitEnd", "OnFitEnd", "Callback.Teardown(Fit)", "Teardown(Fit)"];

    /// <summary>
    /// Resuming: the checkpoint's hooks and the callbacks' states come before ConfigureModel and ConfigureOptimizers.
    /// (The runtime reads each callback's state before loading the saved one, so a failed restore can put it back.)
    /// </summary>
    private static IEnumerable<string> ResumeStart() =>
        ["ConfigureCallbacks", "PrepareData", "Callback.Setup(Fit)", "Setup(Fit)", "OnLoadCheckpoint", "Callback.OnLoadCheckpoint",
            "Callback.StateDict", "Callback.LoadStateDict", "ConfigureModel", "ConfigureOptimizers", "Callback.OnFitStart", "OnFitStart", "zero_grad"];

    [TestMethod]
    public void Fit()
    {
        var options = Options();
        options.LimitTrainBatches = 2;
        options.LimitValBatches = 2;
        var (called, trainer) = Fit(options, scheduler: true);
        var expected = FitStart()
            .Concat(["Callback.OnSanityCheckStart", "ValDataLoader"]).Concat(Evaluation("Validation", 2)).Concat(["Callback.OnSanityCheckEnd"])
            .Concat(TrainStart())
            .Concat(TrainBatches(2, scheduler: true))
            .Concat(ValidationInFit(2))
            .Concat(EpochEnd())
            .Concat(FitEnd());
        AssertCalled(expected, called);
        Assert.AreEqual(2, trainer.GlobalStep);
    }

    [TestMethod]
    public void FitWithAccumulationAndNoSanityCheck()
    {
        var options = Options();
        options.LimitTrainBatches = 3;
        options.LimitValBatches = 1;
        options.NumSanityValSteps = 0;
        options.AccumulateGradBatches = 2;
        var (called, trainer) = Fit(options);
        var expected = FitStart()
            .Concat(TrainStart())
            .Concat(TrainBatches(3, accumulate: 2))
            .Concat(["ValDataLoader"]).Concat(ValidationInFit(1))
            .Concat(EpochEnd())
            .Concat(FitEnd());
        AssertCalled(expected, called);
        Assert.AreEqual(2, trainer.GlobalStep, "3 batches with accumulation 2 take two optimizer steps (the last window is short)");
    }

    /// <summary>
    /// Lightning's resume cases: a first fit without validation saves a checkpoint (its HookedCallback's state
    /// included), then a new trainer with the limits <paramref name="limit"/> sets resumes a HookedModel from it.
    /// </summary>
    private static (List<string> Called, Trainer Trainer, string Checkpoint) FitThenResume(Action<TrainerOptions> firstLimit, Action<TrainerOptions> limit)
    {
        var root = TempDir.Create();
        TrainerOptions NoValidation()
        {
            var options = Options(root);
            options.LimitValBatches = 0;
            return options;
        }
        var first = NoValidation();
        firstLimit(first);
        first.Callbacks.Add(new HookedCallback([]));
        var firstTrainer = new Trainer(first);
        using (var model = new TinyModel()) firstTrainer.Fit(model, RandomData.Batches(4));
        var checkpoint = firstTrainer.CheckpointCallback!.BestModelPath;
        var options = NoValidation();
        limit(options);
        var (called, trainer) = Fit(options, ckptPath: checkpoint);
        return (called, trainer, checkpoint);
    }

    [TestMethod]
    public void FitWithoutValidationResumedWithMaxEpochs()
    {
        var (called, trainer, _) = FitThenResume(o => o.LimitTrainBatches = 2, o =>
        {
            o.MaxEpochs = 2;
            o.LimitTrainBatches = 2;
        });
        var expected = ResumeStart()
            .Concat(TrainStart())
            .Concat(TrainBatches(2))
            .Concat(EpochEnd())
            .Concat(FitEnd());
        AssertCalled(expected, called);
        Assert.AreEqual(4, trainer.GlobalStep);
        Assert.AreEqual("epoch=1-step=4.ckpt", Path.GetFileName(trainer.CheckpointCallback!.BestModelPath));
    }

    [TestMethod]
    public void FitWithoutValidationResumedWithMaxSteps()
    {
        static Action<TrainerOptions> MaxSteps(int steps) => o =>
        {
            o.MaxEpochs = null;
            o.MaxSteps = steps;
        };
        // Resumed with a larger step limit, the cut epoch goes on at its second batch.
        var (called, trainer, checkpoint) = FitThenResume(MaxSteps(1), MaxSteps(3));
        Assert.AreEqual("epoch=0-step=1.ckpt", Path.GetFileName(checkpoint), "a step limit inside the first epoch saves epoch 0, as Lightning does");
        var expected = ResumeStart()
            .Concat(TrainStart())
            .Concat(TrainBatches(3, first: 1))
            .Concat(EpochEnd())
            .Concat(FitEnd());
        AssertCalled(expected, called);
        Assert.AreEqual(3, trainer.GlobalStep);
        Assert.AreEqual("epoch=0-step=3.ckpt", Path.GetFileName(trainer.CheckpointCallback!.BestModelPath));
    }

    [TestMethod]
    [DataRow("Validation", 2)]
    [DataRow("Validation", 0)]
    [DataRow("Test", 2)]
    [DataRow("Test", 0)]
    public void ValidateAndTest(string stage, int batches)
    {
        var called = new List<string>();
        var options = Options();
        options.Callbacks.Add(new HookedCallback(called));
        options.LimitValBatches = batches;
        options.LimitTestBatches = batches;
        var trainer = new Trainer(options);
        using var model = new HookedModel(called);
        var fn = stage == "Validation" ? Stage.Validate : Stage.Test;
        var results = fn == Stage.Validate ? trainer.Validate(model, verbose: false) : trainer.Test(model, verbose: false);
        var loader = stage == "Validation" ? "ValDataLoader" : "TestDataLoader";
        // A limit of 0 turns the stage off: no loader is asked for and no stage hook runs.
        var run = batches == 0 ? [] : new[] { loader }.Concat(Evaluation(stage, batches));
        var expected = new[] { "ConfigureCallbacks", "PrepareData", $"Callback.Setup({fn})", $"Setup({fn})", "ConfigureModel", "zero_grad" }
            .Concat(run)
            .Concat([$"Callback.Teardown({fn})", $"Teardown({fn})"]);
        AssertCalled(expected, called);
        Assert.HasCount(batches == 0 ? 0 : 1, results);
    }

    [TestMethod]
    public void Predict()
    {
        var called = new List<string>();
        var options = Options();
        options.Callbacks.Add(new HookedCallback(called));
        options.LimitPredictBatches = 2;
        using var model = new HookedModel(called);
        var predictions = new Trainer(options).Predict(model);
        var batches = Enumerable.Range(0, 2).SelectMany(_ => Transfer.Concat(["Callback.OnPredictBatchStart", "OnPredictBatchStart", "PredictStep",
            "Callback.OnPredictBatchEnd", "OnPredictBatchEnd"]));
        var expected = new[] { "ConfigureCallbacks", "PrepareData", "Callback.Setup(Predict)", "Setup(Predict)", "ConfigureModel", "zero_grad",
                "PredictDataLoader", "OnPredictModelEval", "train(False)", "Callback.OnPredictStart", "OnPredictStart", "Callback.OnPredictEpochStart", "OnPredictEpochStart" }
            .Concat(batches)
            .Concat(["Callback.OnPredictEpochEnd", "OnPredictEpochEnd", "Callback.OnPredictEnd", "OnPredictEnd", "train(True)",
                "Callback.Teardown(Predict)", "Teardown(Predict)"]);
        AssertCalled(expected, called);
        Assert.AreEqual(2, predictions.Count);
        CollectionAssert.AreEqual(new long[] { 4, 2 }, predictions[0].shape);
    }

    private static void AssertCalled(IEnumerable<string> expected, List<string> called) =>
        CollectionAssert.AreEqual(expected.ToList(), called, Diff(expected, called));

    /// <summary>Where two hook lists first differ, for a readable failure.</summary>
    private static string Diff(IEnumerable<string> expected, List<string> actual)
    {
        var e = expected.ToList();
        var i = 0;
        while (i < e.Count && i < actual.Count && e[i] == actual[i]) i++;
        return $"first difference at {i}: expected {(i < e.Count ? e[i] : "<end>")}, got {(i < actual.Count ? actual[i] : "<end>")}; " +
               $"around it, actual: {string.Join(", ", actual.Skip(Math.Max(0, i - 3)).Take(8))}";
    }
}
