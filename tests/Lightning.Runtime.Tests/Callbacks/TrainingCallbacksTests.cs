using Lightning.Tests.Support;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Lightning.Tests;

/// <summary>LearningRateMonitor, GradientAccumulationScheduler and OnExceptionCheckpoint.</summary>
[TestClass]
public sealed class TrainingCallbacksTests
{
    private sealed class ScheduledModel : TinyModel
    {
        public override OptimizerConfig? ConfigureOptimizers()
        {
            var sgd = SGD(parameters(), 0.1, momentum: 0.9);
            return (sgd, StepLR(sgd, 1, 0.5));
        }
    }

    [TestMethod]
    public void LearningRateMonitorLogsEachEpochsRate()
    {
        var logger = new RecordingLogger();
        var options = Quiet.Options(3);
        options.Logger = logger;
        var monitor = new LearningRateMonitor(logMomentum: true);
        options.Callbacks.Add(monitor);
        using var model = new ScheduledModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(2));
        CollectionAssert.AreEqual(new[] { 0.1, 0.05, 0.025 }, logger.Series("lr-SGD").Select(s => s.Value).ToArray());
        CollectionAssert.AreEqual(new long[] { 0, 2, 4 }, logger.Series("lr-SGD").Select(s => s.Step).ToArray(), "logged at each epoch's start");
        CollectionAssert.AreEqual(new[] { 0.9, 0.9, 0.9 }, logger.Series("lr-SGD-momentum").Select(s => s.Value).ToArray());
        CollectionAssert.AreEqual(new[] { 0.1, 0.05, 0.025 }, monitor.Lrs["lr-SGD"].ToArray());
        Assert.AreEqual(0.025, trainer.CallbackMetrics["lr-SGD"], 1e-12);
    }

    [TestMethod]
    public void LearningRateMonitorNeedsALogger()
    {
        var options = Quiet.Options();
        options.Callbacks.Add(new LearningRateMonitor());
        using var model = new TinyModel();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(options).Fit(model, RandomData.Batches(1)));
        StringAssert.Contains(error.Message, "needs a logger");
    }

    [TestMethod]
    public void GradientAccumulationFollowsTheSchedule()
    {
        var options = Quiet.Options(3);
        var scheduler = new GradientAccumulationScheduler(new Dictionary<int, int> { [1] = 2, [2] = 4 });
        options.Callbacks.Add(scheduler);
        using var model = new TinyModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(4));
        Assert.AreEqual(4 + 2 + 1, trainer.GlobalStep);
        Assert.AreEqual(4, trainer.AccumulateGradBatches);
        Assert.AreEqual(1, scheduler.GetAccumulateGradBatches(0), "epochs before the first key accumulate nothing");
    }

    [TestMethod]
    public void GradientAccumulationSchedulerRefusesConflictingSettings()
    {
        var options = Quiet.Options();
        options.AccumulateGradBatches = 2;
        options.Callbacks.Add(new GradientAccumulationScheduler(new Dictionary<int, int> { [0] = 2 }));
        using var model = new TinyModel();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(options).Fit(model, RandomData.Batches(1)));
        StringAssert.Contains(error.Message, "use one of them");
        Assert.ThrowsExactly<ArgumentException>(() => new GradientAccumulationScheduler(new Dictionary<int, int>()));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new GradientAccumulationScheduler(new Dictionary<int, int> { [1] = 0 }));
    }

    /// <summary>Fails once, at the second batch of epoch 1, the first time it is fitted.</summary>
    private sealed class FailingModel : TinyModel
    {
        public bool Failed { get; private set; }

        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            if (!Failed && CurrentEpoch == 1 && batchIdx == 1)
            {
                Failed = true;
                throw new InvalidOperationException("the power went out");
            }
            return base.TrainingStep(batch, batchIdx);
        }
    }

    [TestMethod]
    public void OnExceptionCheckpointSavesOnFailureAndTheNextFitResumesFromIt()
    {
        var folder = TempDir.Create();
        var options = Quiet.Options(3);
        var callback = new OnExceptionCheckpoint(folder);
        options.Callbacks.Add(callback);
        using var model = new FailingModel();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(options).Fit(model, RandomData.Batches(3)));
        Assert.AreEqual("the power went out", error.Message, "the run's own exception is the one reported");
        Assert.IsTrue(File.Exists(callback.CkptPath));

        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(3));
        Assert.AreEqual(callback.CkptPath, trainer.CkptPath, "without a ckptPath, fitting picks up the exception checkpoint");
        Assert.AreEqual(9, trainer.GlobalStep, "it continued after the four steps done before the failure");
        Assert.IsFalse(File.Exists(callback.CkptPath), "a run that ends normally removes it");
    }
}
