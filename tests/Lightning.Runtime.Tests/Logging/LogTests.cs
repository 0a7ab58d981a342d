using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary><c>Log</c> with Lightning's semantics: per-hook defaults, weighted means, forks, reductions, where values go.</summary>
[TestClass]
public sealed class LogTests
{
    /// <summary>Batches of sizes 4, 4 and 2 whose x values are all equal to the batch index.</summary>
    private static List<(Tensor X, Tensor Y)> UnequalBatches() =>
        new[] { 4, 4, 2 }.Select((size, i) => (full([size, 8], (float)i), zeros([size], ScalarType.Int64))).ToList();

    private sealed class LoggingModel : TinyModel
    {
        public Action<LoggingModel, (Tensor X, Tensor Y)>? OnTrain { get; init; }
        public Action<LoggingModel, (Tensor X, Tensor Y)>? OnValidation { get; init; }

        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            OnTrain?.Invoke(this, batch);
            return base.TrainingStep(batch, batchIdx);
        }

        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            OnValidation?.Invoke(this, batch);
            return null;
        }
    }

    private static Trainer Fit(LoggingModel model, TrainerOptions options, List<(Tensor X, Tensor Y)>? train = null, List<(Tensor X, Tensor Y)>? val = null)
    {
        var trainer = new Trainer(options);
        trainer.Fit(model, train ?? UnequalBatches(), val ?? UnequalBatches());
        return trainer;
    }

    [TestMethod]
    public void EpochMeanIsWeightedByBatchSize()
    {
        using var model = new LoggingModel { OnValidation = (m, b) => m.Log("x", b.X.mean()) };
        var trainer = Fit(model, Quiet.Options());
        // (0 * 4 + 1 * 4 + 2 * 2) / 10, not the unweighted (0 + 1 + 2) / 3.
        Assert.AreEqual(0.8, trainer.CallbackMetrics["x"], 1e-9);
    }

    [TestMethod]
    public void ExplicitBatchSizeOverridesTheGuess()
    {
        using var model = new LoggingModel { OnValidation = (m, b) => m.Log("x", b.X.mean(), batchSize: 1) };
        var trainer = Fit(model, Quiet.Options());
        Assert.AreEqual(1.0, trainer.CallbackMetrics["x"], 1e-9);
    }

    [TestMethod]
    public void SumMaxMinReductions()
    {
        using var model = new LoggingModel
        {
            OnValidation = (m, b) =>
            {
                m.Log("sum", b.X.mean(), reduce: Reduce.Sum);
                m.Log("max", b.X.mean(), reduce: Reduce.Max);
                m.Log("min", b.X.mean(), reduce: Reduce.Min);
            },
        };
        var trainer = Fit(model, Quiet.Options());
        Assert.AreEqual(3.0, trainer.CallbackMetrics["sum"]);
        Assert.AreEqual(2.0, trainer.CallbackMetrics["max"]);
        Assert.AreEqual(0.0, trainer.CallbackMetrics["min"]);
    }

    [TestMethod]
    public void StepAndEpochForkNamesAndDestinations()
    {
        var logger = new RecordingLogger();
        var options = Quiet.Options();
        options.Logger = logger;
        options.LogEveryNSteps = 1;
        options.NumSanityValSteps = 0;
        using var model = new LoggingModel { OnTrain = (m, b) => m.Log("loss", b.X.mean(), progBar: true, onEpoch: true) };
        var trainer = Fit(model, options);

        // In training, a value logged per step and per epoch forks; callbacks see both names and the plain one.
        Assert.AreEqual(0.8, trainer.CallbackMetrics["loss"], 1e-9, "after the epoch the plain name holds the epoch value");
        Assert.AreEqual(0.8, trainer.CallbackMetrics["loss_epoch"], 1e-9);
        Assert.AreEqual(2.0, trainer.CallbackMetrics["loss_step"], 1e-9, "the last step's value");
        CollectionAssert.IsSubsetOf(new[] { "loss_step", "loss_epoch" }, trainer.ProgressBarMetrics.Keys.ToList());
        Assert.IsFalse(trainer.LoggedMetrics.ContainsKey("loss"), "loggers get only the forked names");

        // Loggers get step = GlobalStep: one row per optimizer step, the epoch row at the epoch's last step.
        CollectionAssert.AreEqual(new[] { (1L, 0.0), (2L, 1.0), (3L, 2.0) }, logger.Series("loss_step"));
        CollectionAssert.AreEqual(new[] { (3L, 0.8) }, logger.Series("loss_epoch").Select(s => (s.Step, Math.Round(s.Value, 9))).ToList());
        Assert.IsTrue(logger.Rows.All(r => r.Metrics["epoch"] == 0), "every row carries the epoch");
    }

    [TestMethod]
    public void LogEveryNStepsThinsStepRows()
    {
        var logger = new RecordingLogger();
        var options = Quiet.Options(maxEpochs: 2);
        options.Logger = logger;
        options.LogEveryNSteps = 2;
        using var model = new LoggingModel { OnTrain = (m, b) => m.Log("loss", b.X.mean()) };
        Fit(model, options);
        CollectionAssert.AreEqual(new[] { 2L, 4L, 6L }, logger.Series("loss").Select(s => s.Step).ToList());
    }

    [TestMethod]
    public void ValidationMetricsAreLoggedPerEpochAtTheGlobalStepAndNotDuringSanityCheck()
    {
        var logger = new RecordingLogger();
        var options = Quiet.Options(maxEpochs: 2);
        options.Logger = logger;
        using var model = new LoggingModel { OnValidation = (m, b) => m.Log("val_x", b.X.mean(), progBar: true) };
        var trainer = Fit(model, options);
        CollectionAssert.AreEqual(new[] { (3L, 0.8), (6L, 0.8) }, logger.Series("val_x").Select(s => (s.Step, Math.Round(s.Value, 9))).ToList());
        Assert.AreEqual(0.8, trainer.ProgressBarMetrics["val_x"], 1e-9);
        Assert.IsFalse(trainer.CallbackMetrics.ContainsKey("val_x_step"));
    }

    [TestMethod]
    public void LogDictLogsEveryEntry()
    {
        using var model = new LoggingModel
        {
            OnValidation = (m, b) => m.LogDict(new Dictionary<string, Tensor> { ["a"] = b.X.mean(), ["b"] = b.X.mean() * 2 }),
        };
        var trainer = Fit(model, Quiet.Options());
        Assert.AreEqual(0.8, trainer.CallbackMetrics["a"], 1e-9);
        Assert.AreEqual(1.6, trainer.CallbackMetrics["b"], 1e-6);
    }

    [TestMethod]
    public void HyperparametersReachTheLogger()
    {
        var logger = new RecordingLogger();
        var options = Quiet.Options();
        options.Logger = logger;
        using var model = new DigitsClassifier(hiddenSize: 16, learningRate: 0.5);
        new Trainer(options).Fit(model, RandomData.Batches(1, features: 64, classes: 10));
        Assert.AreEqual(16, logger.Hyperparameters!["hiddenSize"]);
        Assert.AreEqual(0.5, logger.Hyperparameters["learningRate"]);
        Assert.AreEqual("success", logger.FinishStatus);
    }

    [TestMethod]
    public void ChangingArgumentsForOneMetricInOneHookIsAnError()
    {
        var calls = 0;
        using var model = new LoggingModel { OnValidation = (m, b) => m.Log("x", b.X.mean(), progBar: calls++ % 2 == 0) };
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Fit(model, Quiet.Options()));
        StringAssert.Contains(error.Message, "Log(\"x\") was called twice in ValidationStep with different arguments");
    }

    [TestMethod]
    public void LoggingInSetupIsAnError()
    {
        using var model = new SetupLogger();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(Quiet.Options()).Fit(model, UnequalBatches()));
        StringAssert.Contains(error.Message, "Log(\"x\") was called in Setup");
    }

    [TestMethod]
    public void NonScalarValueIsAnError()
    {
        using var model = new LoggingModel { OnValidation = (m, b) => m.Log("x", b.X) };
        var error = Assert.ThrowsExactly<ArgumentException>(() => Fit(model, Quiet.Options()));
        StringAssert.Contains(error.Message, "needs a scalar");
    }

    private sealed class SetupLogger : TinyModel
    {
        public override void Setup(Stage stage) => Log("x", 1.0);
    }

    [TestMethod]
    public void LogWithoutATrainerWarnsOnceAndLogsNothing()
    {
        using var model = new LoggingModel { OnTrain = (m, b) => m.Log("x", b.X.mean()) };
        var batch = UnequalBatches()[0];
        var text = CapturedOutput.ErrorOf(() =>
        {
            // A step called directly, as in a unit test of the module.
            using var loss = model.TrainingStep(batch, 0)!.Loss!;
            model.Log("y", 1.0);
            Assert.IsTrue(double.IsFinite(loss.item<float>()));
        });
        StringAssert.Contains(text, "LoggingModel.Log(\"x\") was called, but no Trainer runs this module yet");
        Assert.AreEqual(1, text.Split("no Trainer runs this module").Length - 1, "the warning comes once: " + text);
    }
}
