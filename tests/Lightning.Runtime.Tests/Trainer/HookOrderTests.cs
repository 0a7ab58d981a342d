using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>
/// The order in which the trainer calls hooks, pinned against recorded lists the way Lightning's
/// <c>test_hooks.py</c> pins them: callbacks before the module, validation before the train epoch end.
/// </summary>
[TestClass]
public sealed class HookOrderTests
{
    private static readonly string[] Transfer = ["OnBeforeBatchTransfer", "TransferBatchToDevice", "OnAfterBatchTransfer"];

    private static IEnumerable<string> TrainBatches(int batches, int accumulate = 1, bool scheduler = false)
    {
        for (var i = 0; i < batches; i++)
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
                yield return "ConfigureGradientClipping";
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

    private static IEnumerable<string> Validation(int batches, bool zeroGrad) =>
        (zeroGrad ? new[] { "OnValidationModelZeroGrad" } : [])
            .Concat(["OnValidationModelEval", "Callback.OnValidationStart", "OnValidationStart"])
            .Concat(EvalEpoch("Validation", batches))
            .Concat(["Callback.OnValidationEnd", "OnValidationEnd", "OnValidationModelTrain"]);

    private static (List<string> Called, Trainer Trainer) Fit(TrainerOptions options, bool scheduler = false)
    {
        var called = new List<string>();
        options.Callbacks.Add(new HookedCallback(called));
        var trainer = new Trainer(options);
        using var model = new HookedModel(called) { WithScheduler = scheduler };
        trainer.Fit(model);
        return (called, trainer);
    }

    private static IEnumerable<string> FitStart() =>
        ["ConfigureCallbacks", "PrepareData", "Callback.Setup(Fit)", "Setup(Fit)", "ConfigureOptimizers", "Callback.OnFitStart", "OnFitStart"];

    private static IEnumerable<string> FitEnd() =>
        ["Callback.OnTrainEnd", "OnTrainEnd", "Callback.OnFitEnd", "OnFitEnd", "Callback.Teardown(Fit)", "Teardown(Fit)"];

    [TestMethod]
    public void FitWithSanityCheckAndValidation()
    {
        var options = Quiet.Options();
        options.LimitTrainBatches = 2;
        options.LimitValBatches = 2;
        var (called, _) = Fit(options, scheduler: true);
        var expected = FitStart()
            .Concat(["Callback.OnSanityCheckStart", "ValDataLoader"]).Concat(Validation(2, zeroGrad: false)).Concat(["Callback.OnSanityCheckEnd"])
            .Concat(["TrainDataLoader", "Callback.OnTrainStart", "OnTrainStart", "Callback.OnTrainEpochStart", "OnTrainEpochStart"])
            .Concat(TrainBatches(2, scheduler: true))
            .Concat(Validation(2, zeroGrad: true))
            .Concat(["Callback.OnTrainEpochEnd", "OnTrainEpochEnd"])
            .Concat(FitEnd());
        CollectionAssert.AreEqual(expected.ToList(), called, Diff(expected, called));
    }

    [TestMethod]
    public void FitWithAccumulationAndNoSanityCheck()
    {
        var options = Quiet.Options();
        options.LimitTrainBatches = 3;
        options.LimitValBatches = 1;
        options.NumSanityValSteps = 0;
        options.AccumulateGradBatches = 2;
        var (called, trainer) = Fit(options);
        var expected = FitStart()
            .Concat(["TrainDataLoader", "Callback.OnTrainStart", "OnTrainStart", "Callback.OnTrainEpochStart", "OnTrainEpochStart"])
            .Concat(TrainBatches(3, accumulate: 2))
            .Concat(["ValDataLoader"]).Concat(Validation(1, zeroGrad: true))
            .Concat(["Callback.OnTrainEpochEnd", "OnTrainEpochEnd"])
            .Concat(FitEnd());
        CollectionAssert.AreEqual(expected.ToList(), called, Diff(expected, called));
        Assert.AreEqual(2, trainer.GlobalStep, "3 batches with accumulation 2 take two optimizer steps (the last window is short)");
    }

    [TestMethod]
    public void ValidateAndTest()
    {
        foreach (var stage in new[] { "Validation", "Test" })
        {
            var called = new List<string>();
            var options = Quiet.Options();
            options.Callbacks.Add(new HookedCallback(called));
            options.LimitValBatches = 2;
            options.LimitTestBatches = 2;
            var trainer = new Trainer(options);
            using var model = new HookedModel(called);
            var fn = stage == "Validation" ? Stage.Validate : Stage.Test;
            if (fn == Stage.Validate) trainer.Validate(model, verbose: false);
            else trainer.Test(model, verbose: false);
            var loader = stage == "Validation" ? "ValDataLoader" : "TestDataLoader";
            var expected = new[] { "ConfigureCallbacks", "PrepareData", $"Callback.Setup({fn})", $"Setup({fn})", loader, $"On{stage}ModelEval",
                    $"Callback.On{stage}Start", $"On{stage}Start" }
                .Concat(EvalEpoch(stage, 2))
                .Concat([$"Callback.On{stage}End", $"On{stage}End", $"On{stage}ModelTrain", $"Callback.Teardown({fn})", $"Teardown({fn})"]);
            CollectionAssert.AreEqual(expected.ToList(), called, Diff(expected, called));
        }
    }

    [TestMethod]
    public void Predict()
    {
        var called = new List<string>();
        var options = Quiet.Options();
        options.Callbacks.Add(new HookedCallback(called));
        options.LimitPredictBatches = 2;
        using var model = new HookedModel(called);
        var predictions = new Trainer(options).Predict(model);
        var batches = Enumerable.Range(0, 2).SelectMany(_ => Transfer.Concat(["Callback.OnPredictBatchStart", "OnPredictBatchStart", "PredictStep",
            "Callback.OnPredictBatchEnd", "OnPredictBatchEnd"]));
        var expected = new[] { "ConfigureCallbacks", "PrepareData", "Callback.Setup(Predict)", "Setup(Predict)", "PredictDataLoader", "OnPredictModelEval",
                "Callback.OnPredictStart", "OnPredictStart", "Callback.OnPredictEpochStart", "OnPredictEpochStart" }
            .Concat(batches)
            .Concat(["Callback.OnPredictEpochEnd", "OnPredictEpochEnd", "Callback.OnPredictEnd", "OnPredictEnd", "Callback.Teardown(Predict)", "Teardown(Predict)"]);
        CollectionAssert.AreEqual(expected.ToList(), called, Diff(expected, called));
        Assert.AreEqual(2, predictions.Count);
        CollectionAssert.AreEqual(new long[] { 4, 2 }, predictions[0].shape);
    }

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
