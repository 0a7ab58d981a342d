using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>
/// Exact resume: fitting N epochs in one go, and fitting until a checkpoint, stopping, and resuming a fresh trainer
/// and module from it to N, give bit-identical weights, the same logged metrics and the same batches in the same
/// order, wherever the checkpoint was taken.
/// </summary>
[TestClass]
public sealed class ResumeTests
{
    private const int Epochs = 3;

    private static readonly Lazy<((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Val)> Data = new(() =>
    {
        var (train, val, _) = Digits.Split();
        return ((train.X[..256], train.Y[..256]), (val.X[..96], val.Y[..96]));
    });

    private sealed record Outcome(Dictionary<string, Tensor> Weights, List<(long Step, Dictionary<string, double> Metrics)> Rows, List<(int Epoch, int Batch, long Step, int Completed, int Accumulate, float Sum)> Seen);

    [TestMethod]
    public void FromTheEndOfAnEpoch() => AssertResumeIsExact(null, (t, hook) => hook == "epoch" && t.CurrentEpoch == 0);

    [TestMethod]
    public void FromValidationAtTheEndOfAnEpochRunsTheRestOfThatEpochsEnd() =>
        AssertResumeIsExact(null, (t, hook) => hook == "validation" && t.CurrentEpoch == 0);

    [TestMethod]
    public void FromTheMiddleOfAnEpoch() => AssertResumeIsExact(null, (t, hook) => hook == "batch" && t.CurrentEpoch == 1 && t.BatchIdx == 3);

    [TestMethod]
    public void FromAValidationInTheMiddleOfAnEpoch() =>
        AssertResumeIsExact(o => o.ValCheckInterval = 0.5, (t, hook) => hook == "validation" && t.CurrentEpoch == 1 && t.BatchesCompletedInEpoch == 4);

    [TestMethod]
    public void FromInsideAGradientAccumulationWindow() =>
        AssertResumeIsExact(o => o.Callbacks.Add(new GradientAccumulationScheduler(new Dictionary<int, int> { [1] = 3 })),
            (t, hook) => hook == "batch" && t.CurrentEpoch == 1 && t.BatchIdx == 4);

    [TestMethod]
    public void WithTheMultiTensorAdamFromInsideAGradientAccumulationWindow() =>
        AssertResumeIsExact(o => o.Callbacks.Add(new GradientAccumulationScheduler(new Dictionary<int, int> { [1] = 3 })),
            (t, hook) => hook == "batch" && t.CurrentEpoch == 1 && t.BatchIdx == 4, multiTensor: true);

    // OnTrainBatchStart returning -1 ends the epoch there, without its validation check (8 batches an epoch otherwise).

    [TestMethod]
    public void FromTheEndOfAnEpochEndedByOnTrainBatchStartGoesOnWithTheNextEpochInFull()
    {
        var straight = AssertResumeIsExact(null, (t, hook) => hook == "epoch" && t.CurrentEpoch == 0, endEpochAt: (0, 5));
        AssertEpochSizes(straight, 5, 8, 8);
    }

    [TestMethod]
    public void FromTheEndOfAnEpochEndedByOnTrainBatchStartInsideAGradientAccumulationWindow()
    {
        var straight = AssertResumeIsExact(o => o.AccumulateGradBatches = 3, (t, hook) => hook == "epoch" && t.CurrentEpoch == 0, endEpochAt: (0, 5));
        AssertEpochSizes(straight, 5, 8, 8);
    }

    [TestMethod]
    public void FromTheMiddleOfAnEpochReachesTheSameOnTrainBatchStartEnd() =>
        AssertEpochSizes(AssertResumeIsExact(null, (t, hook) => hook == "batch" && t.CurrentEpoch == 1 && t.BatchIdx == 2, endEpochAt: (1, 5)), 8, 5, 8);

    [TestMethod]
    public void FromTheBatchJustBeforeTheOneWhoseOnTrainBatchStartEndsTheEpoch() =>
        AssertEpochSizes(AssertResumeIsExact(null, (t, hook) => hook == "batch" && t.CurrentEpoch == 1 && t.BatchIdx == 4, endEpochAt: (1, 5)), 8, 5, 8);

    [TestMethod]
    public void FromAValidationInTheMiddleOfAnEpochThatOnTrainBatchStartEndsLater() =>
        AssertEpochSizes(AssertResumeIsExact(o => o.ValCheckInterval = 0.5,
            (t, hook) => hook == "validation" && t.CurrentEpoch == 1 && t.BatchesCompletedInEpoch == 4, endEpochAt: (1, 6)), 8, 6, 8);

    [TestMethod]
    public void ModelCheckpointFilesBeforeAndAtTheEndOfAnEpochEndedByOnTrainBatchStartResumeExactly()
    {
        var everyThreeSteps = TempDir.Create();
        var epochEnds = TempDir.Create();
        var straight = FitStraight(o =>
        {
            o.Callbacks.Add(new ModelCheckpoint(everyThreeSteps, saveTopK: -1, everyNTrainSteps: 3));
            o.Callbacks.Add(new ModelCheckpoint(epochEnds, saveTopK: -1, saveOnTrainEpochEnd: true));
        }, multiTensor: false, endEpochAt: (0, 5));
        AssertEpochSizes(straight, 5, 8, 8);
        // Step 3 is saved inside epoch 0 before its -1 (at batch 5); step 5 at that epoch's end, without a validation check.
        foreach (var (file, trainedBefore) in new[] { (Path.Combine(everyThreeSteps, "epoch=0-step=3.ckpt"), 3), (Path.Combine(epochEnds, "epoch=0-step=5.ckpt"), 5) })
        {
            Trainer.SeedEverything(12345);
            using var resumed = new ResumableModel { EndEpochAt = (0, 5) };
            Fit(Options(new RecordingLogger(), null), resumed, file);
            CollectionAssert.AreEqual(straight.Seen.Skip(trainedBefore).ToList(), resumed.Seen, $"resumed from {Path.GetFileName(file)}: the rest of the straight fit's batches, at its positions");
            AssertSameWeights(straight.Weights, resumed.Weights());
        }
    }

    private static void AssertEpochSizes(Outcome straight, params int[] batches) =>
        CollectionAssert.AreEqual(batches, Enumerable.Range(0, batches.Length).Select(e => straight.Seen.Count(s => s.Epoch == e)).ToArray(),
            "batches trained in each epoch");

    /// <summary>Asserts that the resumed fit repeats the straight one; returns the straight one.</summary>
    private static Outcome AssertResumeIsExact(Action<TrainerOptions>? configure, Func<Trainer, string, bool> when, bool multiTensor = false,
        (int Epoch, int Batch)? endEpochAt = null)
    {
        var straight = FitStraight(configure, multiTensor, endEpochAt);
        var resumed = FitStoppedAndResumed(configure, when, multiTensor, endEpochAt);
        CollectionAssert.AreEqual(straight.Seen, resumed.Seen, "the same batches, in the same order, none skipped or repeated, each at the same position of the fit");
        Assert.AreEqual(straight.Rows.Count, resumed.Rows.Count, "logged rows");
        for (var i = 0; i < straight.Rows.Count; i++)
        {
            Assert.AreEqual(straight.Rows[i].Step, resumed.Rows[i].Step, $"step of row {i}");
            CollectionAssert.AreEquivalent(straight.Rows[i].Metrics, resumed.Rows[i].Metrics,
                $"row {i} at step {straight.Rows[i].Step}: {Describe(straight.Rows[i].Metrics)} vs {Describe(resumed.Rows[i].Metrics)}");
        }
        AssertSameWeights(straight.Weights, resumed.Weights);
        return straight;
    }

    private static void AssertSameWeights(Dictionary<string, Tensor> straight, Dictionary<string, Tensor> resumed)
    {
        CollectionAssert.AreEquivalent(straight.Keys, resumed.Keys);
        foreach (var (name, weight) in straight)
            Assert.IsTrue(weight.equal(resumed[name]).all().item<bool>(), $"{name} differs between the straight and the resumed fit");
    }

    private static Outcome FitStraight(Action<TrainerOptions>? configure, bool multiTensor, (int, int)? endEpochAt)
    {
        Trainer.SeedEverything(7);
        using var model = new ResumableModel { MultiTensor = multiTensor, EndEpochAt = endEpochAt };
        var logger = new RecordingLogger();
        Fit(Options(logger, configure), model);
        return new Outcome(model.Weights(), logger.Rows, model.Seen);
    }

    private static Outcome FitStoppedAndResumed(Action<TrainerOptions>? configure, Func<Trainer, string, bool> when, bool multiTensor, (int, int)? endEpochAt)
    {
        var path = Path.Combine(TempDir.Create(), "stop.ckpt");
        Trainer.SeedEverything(7);
        using var first = new ResumableModel { MultiTensor = multiTensor, EndEpochAt = endEpochAt };
        var firstLogger = new RecordingLogger();
        var stopper = new SaveAndStop(path, when, firstLogger, first);
        var firstOptions = Options(firstLogger, configure);
        firstOptions.Callbacks.Add(stopper);
        Fit(firstOptions, first);
        Assert.IsTrue(stopper.Saved, "the first fit reached the checkpoint");

        // Another seed: the resumed fit must take weights, order and random state from the checkpoint alone.
        Trainer.SeedEverything(12345);
        using var second = new ResumableModel { MultiTensor = multiTensor, EndEpochAt = endEpochAt };
        var secondLogger = new RecordingLogger();
        Fit(Options(secondLogger, configure), second, path);
        return new Outcome(second.Weights(), [.. firstLogger.Rows.Take(stopper.RowsAtSave), .. secondLogger.Rows],
            [.. first.Seen.Take(stopper.BatchesAtSave), .. second.Seen]);
    }

    private static TrainerOptions Options(RecordingLogger logger, Action<TrainerOptions>? configure)
    {
        var options = Quiet.Options(Epochs);
        options.Deterministic = true;
        options.Logger = logger;
        options.LogEveryNSteps = 1;
        configure?.Invoke(options);
        return options;
    }

    private static void Fit(TrainerOptions options, ResumableModel model, string? ckptPath = null)
    {
        var ((trainX, trainY), (valX, valY)) = Data.Value;
        new Trainer(options).Fit(model, new TensorDataLoader(trainX, trainY, 32, shuffle: true), new TensorDataLoader(valX, valY, 48), ckptPath: ckptPath);
    }

    private static string Describe(Dictionary<string, double> metrics) =>
        string.Join(", ", metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value:R}"));
}
