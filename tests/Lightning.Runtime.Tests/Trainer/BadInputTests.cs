using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>Mistakes stop with an error naming the hook or option and what to do, before work is wasted.</summary>
[TestClass]
public sealed class BadInputTests
{
    [TestMethod]
    public void OptionsOutOfRangeAreRejectedWhenTheTrainerIsMade()
    {
        (Action<TrainerOptions> Set, string Name)[] cases =
        [
            (o => o.MaxEpochs = -2, "MaxEpochs"),
            (o => o.LimitTrainBatches = 1.5, "LimitTrainBatches"),
            (o => o.LimitValBatches = -1, "LimitValBatches"),
            (o => o.AccumulateGradBatches = 0, "AccumulateGradBatches"),
            (o => o.ValCheckInterval = 0, "ValCheckInterval"),
            (o => o.GradientClipVal = -1, "GradientClipVal"),
            (o => o.NumSanityValSteps = -2, "NumSanityValSteps"),
            (o => o.Precision = "8-true", "Precision"),
            (o => o.Accelerator = "tpu", "Accelerator"),
            (o => o.LogEveryNSteps = 0, "LogEveryNSteps"),
        ];
        foreach (var (set, name) in cases)
        {
            var options = new TrainerOptions();
            set(options);
            var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Trainer(options), name);
            StringAssert.Contains(error.Message, $"TrainerOptions.{name}");
        }
    }

    [TestMethod]
    public void FastDevRunRejectsNegativeCounts() =>
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainerOptions { FastDevRun = -1 });

    private sealed class NoLoss : TinyModel
    {
        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => new StepOutput { ["acc"] = tensor(1.0f) };
    }

    [TestMethod]
    public void StepWithoutLossUnderAutomaticOptimization()
    {
        using var model = new NoLoss();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(Quiet.Options()).Fit(model, RandomData.Batches(1)));
        StringAssert.Contains(error.Message, "TrainingStep returned no loss (keys: acc)");
        StringAssert.Contains(error.Message, "AutomaticOptimization = false");
    }

    private sealed class NoOptimizer : TinyModel
    {
        public int Steps { get; private set; }

        public override OptimizerConfig? ConfigureOptimizers() => null;

        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            Steps++;
            return base.TrainingStep(batch, batchIdx);
        }
    }

    [TestMethod]
    public void ConfigureOptimizersReturningNothingFailsBeforeTheFirstStep()
    {
        using var model = new NoOptimizer();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(Quiet.Options()).Fit(model, RandomData.Batches(1)));
        StringAssert.Contains(error.Message, "ConfigureOptimizers() returned no optimizer");
        Assert.AreEqual(0, model.Steps);
    }

    [TestMethod]
    public void EmptyLoadersAreNamed()
    {
        using var model = new TinyModel();
        var empty = new List<(Tensor X, Tensor Y)>();
        var train = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(Quiet.Options()).Fit(model, empty));
        StringAssert.Contains(train.Message, "The training loader yielded no batches");
        var test = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(Quiet.Options()).Test(model, empty.Select(b => b), verbose: false));
        StringAssert.Contains(test.Message, "The test loader 0 yielded no batches");
    }

    [TestMethod]
    public void MissingTrainingDataIsNamed()
    {
        using var model = new TinyModel();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(Quiet.Options()).Fit(model));
        StringAssert.Contains(error.Message, "override TinyModel.TrainDataLoader()");
    }

    private sealed class Exploding : TinyModel
    {
        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) =>
            batchIdx == 2 ? base.TrainingStep(batch, batchIdx)!.Loss! / 0.0 : base.TrainingStep(batch, batchIdx);
    }

    [TestMethod]
    public void DetectAnomalyStopsAtTheNonFiniteLoss()
    {
        using var model = new Exploding();
        var options = Quiet.Options();
        options.DetectAnomaly = true;
        var trainer = new Trainer(options);
        var error = Assert.ThrowsExactly<ArithmeticException>(() => trainer.Fit(model, RandomData.Batches(5)));
        StringAssert.Contains(error.Message, "batch 2");
        Assert.AreEqual(2, trainer.GlobalStep, "no step was taken with the bad loss");
        Assert.AreEqual(TrainerStatus.Interrupted, trainer.State.Status);
    }

    [TestMethod]
    public void TestWithoutATestStepIsNamed()
    {
        using var model = new NoTestStep();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(Quiet.Options()).Test(model, RandomData.Batches(1), verbose: false));
        StringAssert.Contains(error.Message, "override TestStep");
    }

    private sealed class NoTestStep : LightningModule<(Tensor X, Tensor Y)>
    {
    }

    [TestMethod]
    public void ExceptionsReachCallbacksAndLoggersAndAreRethrown()
    {
        var logger = new RecordingLogger();
        var seen = new List<Exception>();
        var options = Quiet.Options();
        options.Logger = logger;
        options.Callbacks.Add(new ExceptionProbe(seen));
        using var model = new NoLoss();
        Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(options).Fit(model, RandomData.Batches(1)));
        Assert.AreEqual(1, seen.Count);
        Assert.AreEqual("failed", logger.FinishStatus);
    }

    private sealed class ExceptionProbe(List<Exception> seen) : Callback
    {
        public override void OnException(Trainer trainer, LightningModule module, Exception exception) => seen.Add(exception);
    }
}
