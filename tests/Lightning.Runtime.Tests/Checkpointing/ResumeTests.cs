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

    private static void AssertResumeIsExact(Action<TrainerOptions>? configure, Func<Trainer, string, bool> when, bool multiTensor = false)
    {
        var straight = FitStraight(configure, multiTensor);
        var resumed = FitStoppedAndResumed(configure, when, multiTensor);
        CollectionAssert.AreEqual(straight.Seen, resumed.Seen, "the same batches, in the same order, none skipped or repeated, each at the same position of the fit");
        Assert.AreEqual(straight.Rows.Count, resumed.Rows.Count, "logged rows");
        for (var i = 0; i < straight.Rows.Count; i++)
        {
            Assert.AreEqual(straight.Rows[i].Step, resumed.Rows[i].Step, $"step of row {i}");
            CollectionAssert.AreEquivalent(straight.Rows[i].Metrics, resumed.Rows[i].Metrics,
                $"row {i} at step {straight.Rows[i].Step}: {Describe(straight.Rows[i].Metrics)} vs {Describe(resumed.Rows[i].Metrics)}");
        }
        CollectionAssert.AreEquivalent(straight.Weights.Keys, resumed.Weights.Keys);
        foreach (var (name, weight) in straight.Weights)
            Assert.IsTrue(weight.equal(resumed.Weights[name]).all().item<bool>(), $"{name} differs between the straight and the resumed fit");
    }

    private static Outcome FitStraight(Action<TrainerOptions>? configure, bool multiTensor)
    {
        Trainer.SeedEverything(7);
        using var model = new ResumableModel { MultiTensor = multiTensor };
        var logger = new RecordingLogger();
        Fit(Options(logger, configure), model);
        return new Outcome(model.Weights(), logger.Rows, model.Seen);
    }

    private static Outcome FitStoppedAndResumed(Action<TrainerOptions>? configure, Func<Trainer, string, bool> when, bool multiTensor)
    {
        var path = Path.Combine(TempDir.Create(), "stop.ckpt");
        Trainer.SeedEverything(7);
        using var first = new ResumableModel { MultiTensor = multiTensor };
        var firstLogger = new RecordingLogger();
        var stopper = new SaveAndStop(path, when, firstLogger, first);
        var firstOptions = Options(firstLogger, configure);
        firstOptions.Callbacks.Add(stopper);
        Fit(firstOptions, first);
        Assert.IsTrue(stopper.Saved, "the first fit reached the checkpoint");

        // Another seed: the resumed fit must take weights, order and random state from the checkpoint alone.
        Trainer.SeedEverything(12345);
        using var second = new ResumableModel { MultiTensor = multiTensor };
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
