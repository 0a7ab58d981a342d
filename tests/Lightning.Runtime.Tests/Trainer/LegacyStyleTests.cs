using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>The 0.x style from Lightning's tutorials: returned dictionaries and <c>*EpochEnd(outputs)</c> hooks.</summary>
[TestClass]
public sealed class LegacyStyleTests
{
    private sealed class TutorialModel : TinyModel
    {
        public List<int> TrainingOutputCounts { get; } = [];
        public List<int> ValidationOutputCounts { get; } = [];
        public List<double> ValidationLosses { get; } = [];

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var loss = nn.functional.cross_entropy(forward(batch.X), batch.Y);
            return new StepOutput(loss)
            {
                Log = { ["train_loss"] = loss },
                ProgressBar = { ["batch_mean"] = batch.X.mean() },
            };
        }

        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var loss = nn.functional.cross_entropy(forward(batch.X), batch.Y);
            ValidationLosses.Add(loss.item<float>());
            return new StepOutput { ["val_loss"] = loss };
        }

        public override StepOutput? TrainingEpochEnd(IReadOnlyList<StepOutput> outputs)
        {
            TrainingOutputCounts.Add(outputs.Count);
            Assert.IsFalse(outputs[0].Loss!.requires_grad, "kept outputs are detached from the graph");
            return null;
        }

        public override StepOutput? ValidationEpochEnd(IReadOnlyList<StepOutput> outputs)
        {
            ValidationOutputCounts.Add(outputs.Count);
            var mean = stack(outputs.Select(o => o["val_loss"]).ToArray()).mean();
            return new StepOutput { Log = { ["avg_val_loss"] = mean }, ProgressBar = { ["avg_val_loss"] = mean } };
        }
    }

    [TestMethod]
    public void ReturnedDictionariesAreLoggedAndEpochEndHooksReceiveEveryOutput()
    {
        var logger = new RecordingLogger();
        var options = Quiet.Options(maxEpochs: 2);
        options.Logger = logger;
        options.LogEveryNSteps = 1;
        options.NumSanityValSteps = 0;
        using var model = new TutorialModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(3), RandomData.Batches(4, seed: 1));

        CollectionAssert.AreEqual(new[] { 3, 3 }, model.TrainingOutputCounts);
        CollectionAssert.AreEqual(new[] { 4, 4 }, model.ValidationOutputCounts);
        var lastEpoch = model.ValidationLosses.Skip(4).Average();
        Assert.AreEqual(lastEpoch, trainer.CallbackMetrics["avg_val_loss"], 1e-6);
        Assert.AreEqual(lastEpoch, trainer.ProgressBarMetrics["avg_val_loss"], 1e-6);
        Assert.AreEqual(6, logger.Series("train_loss").Count, "the step's log dictionary is logged every step");
        Assert.IsTrue(trainer.ProgressBarMetrics.ContainsKey("batch_mean"));
        Assert.IsFalse(trainer.LoggedMetrics.ContainsKey("batch_mean"), "progress-bar entries do not go to the loggers");
    }

    [TestMethod]
    public void OutputsAreNotKeptWhenNoEpochEndHookIsOverridden()
    {
        var statistics = TorchSharp.DisposeScopeManager.Statistics;
        using var model = new TinyModel();
        var trainer = new Trainer(Quiet.Options());
        var data = RandomData.Batches(20);
        var live = statistics.ThreadTotalLiveCount;
        trainer.Fit(model, data);
        Assert.AreEqual(live, statistics.ThreadTotalLiveCount, "no tensor outlives its step");
    }

    /// <summary>The tutorial's validation end: a top-level key (and the same value in the progress bar), no Log call.</summary>
    private sealed class TopLevelKeys : TinyModel
    {
        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx) =>
            new StepOutput { ["val_loss"] = nn.functional.cross_entropy(forward(batch.X), batch.Y) };

        public override StepOutput? ValidationEpochEnd(IReadOnlyList<StepOutput> outputs)
        {
            var mean = stack(outputs.Select(o => o["val_loss"]).ToArray()).mean();
            return new StepOutput { ["avg_val_loss"] = mean, ProgressBar = { ["val_loss"] = mean } };
        }
    }

    [TestMethod]
    public void TopLevelKeysOfAnEpochEndAreCallbackMetricsThatMonitorsCanUse()
    {
        var options = Quiet.Options(maxEpochs: 2);
        options.EnableCheckpointing = true;
        options.Callbacks = [new EarlyStopping("avg_val_loss"), new ModelCheckpoint(monitor: "avg_val_loss")];
        using var model = new TopLevelKeys();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(2), RandomData.Batches(2, seed: 1));
        Assert.AreEqual(2, trainer.CurrentEpoch, "the monitors found their metric and the fit ran to its end");
        Assert.IsTrue(trainer.CallbackMetrics.ContainsKey("avg_val_loss"));
        Assert.IsFalse(trainer.LoggedMetrics.ContainsKey("avg_val_loss"), "a top-level key is a callback metric only, as in 0.7");
        Assert.IsFalse(trainer.ProgressBarMetrics.ContainsKey("avg_val_loss"));
        Assert.IsTrue(trainer.ProgressBarMetrics.ContainsKey("val_loss"));
        Assert.AreNotEqual("", trainer.CheckpointCallback!.BestModelPath);
    }

    [TestMethod]
    public void ResumeFromCheckpointHoldsTheWeightsThatTestEvaluates()
    {
        var root = TempDir.Create();
        var path = Path.Combine(root, "trained.ckpt");
        using (var trained = new TinyModel())
        {
            var trainer = new Trainer(Quiet.Options());
            trainer.Fit(trained, RandomData.Batches(4));
            trainer.SaveCheckpoint(path);
        }
        double Loss(TinyModel model, string? resume)
        {
            var options = Quiet.Options();
            options.ResumeFromCheckpoint = resume;
            return new Trainer(options).Test(model, RandomData.Batches(2, seed: 2), verbose: false)[0]["test_loss"];
        }
        using var expected = LightningModule.LoadFromCheckpoint<TinyModel>(path);
        using var fresh = new TinyModel();
        var loss = Loss(fresh, resume: path);
        Assert.AreEqual(Loss(expected, resume: null), loss, 1e-9, "Test used the checkpoint's weights, as Lightning 0.7 did");
        Assert.IsTrue(expected.Snapshot().Zip(fresh.Snapshot()).All(p => p.First.equal(p.Second).all().item<bool>()));
    }

    private sealed class WithTestData : TinyModel
    {
        public override IEnumerable<(Tensor X, Tensor Y)>? TestDataLoader() => RandomData.Batches(2, seed: 2);
    }

    private static (IReadOnlyList<IReadOnlyDictionary<string, double>> Results, string Said) TestAfterFit(Trainer trainer)
    {
        IReadOnlyList<IReadOnlyDictionary<string, double>> results = [];
        var said = CapturedOutput.ErrorOf(() => results = trainer.Test());
        return (results, said);
    }

    [TestMethod]
    public void TestWithoutAModuleAfterFitTestsTheBestCheckpointAndSaysSo()
    {
        var options = Quiet.Options(maxEpochs: 2);
        options.EnableCheckpointing = true;
        options.Callbacks = [new ModelCheckpoint(monitor: "val_loss")];
        using var model = new WithTestData();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(4), RandomData.Batches(2, seed: 1));
        var (results, said) = TestAfterFit(trainer);
        var best = trainer.CheckpointCallback!.BestModelPath;
        StringAssert.Contains(said, "the best checkpoint of the previous Fit is used");
        StringAssert.Contains(said, $"Loaded model weights from the checkpoint at {best}");
        Assert.AreEqual(best, trainer.CkptPath);
        Assert.IsTrue(results[0].ContainsKey("test_loss"));
    }

    [TestMethod]
    public void TestWithoutAModuleAfterFitWithoutCheckpointsTestsTheCurrentWeightsAndSaysSo()
    {
        using var model = new WithTestData();
        var trainer = new Trainer(Quiet.Options());
        trainer.Fit(model, RandomData.Batches(4));
        var (results, said) = TestAfterFit(trainer);
        StringAssert.Contains(said, "the module's current weights are used");
        Assert.IsNull(trainer.CkptPath);
        Assert.IsTrue(results[0].ContainsKey("test_loss"));
    }

    [TestMethod]
    public void TestWithoutAModuleBeforeAnyFitSaysToPassTheModule()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(Quiet.Options()).Test());
        StringAssert.Contains(error.Message, "trainer.Test(model)");
    }
}
