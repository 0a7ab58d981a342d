using Lightning.Tests.Support;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning.Tests;

/// <summary>Behaviours a PyTorch Lightning user relies on without thinking of them, each as Lightning 2.x has it.</summary>
[TestClass]
public sealed class LightningParityTests
{
    [TestMethod]
    public void SixteenMixedOnTheCpuBecomesBf16MixedWithLightningsWarning()
    {
        var options = Quiet.Options();
        options.Precision = "16-mixed";
        Trainer? trainer = null;
        var error = CapturedOutput.ErrorOf(() => trainer = new Trainer(options));
        Assert.AreEqual("bf16-mixed", trainer!.Precision.Name);
        StringAssert.Contains(error, "You passed `Trainer(accelerator='cpu', precision='16-mixed')` but AMP with fp16 is not supported on CPU. Using `precision='bf16-mixed'` instead.");
    }

    [TestMethod]
    public void FitTwiceContinuesAndDoesNothingOnceMaxEpochsIsReached()
    {
        var options = Quiet.Options(maxEpochs: 2);
        using var model = new TinyModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(3));
        var weights = model.Snapshot();
        trainer.Fit(model, RandomData.Batches(3));
        Assert.AreEqual(2, trainer.CurrentEpoch);
        Assert.AreEqual(6, trainer.GlobalStep, "no batch ran again");
        Assert.IsTrue(weights.Zip(model.Snapshot()).All(p => p.First.equal(p.Second).all().item<bool>()), "the weights did not change");

        options.MaxEpochs = 3;
        trainer.Fit(model, RandomData.Batches(3));
        Assert.AreEqual(3, trainer.CurrentEpoch, "one more epoch");
        Assert.AreEqual(9, trainer.GlobalStep);
    }

    private sealed class TwoKinds : TinyModel
    {
        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            Log("shown", 1.0);
            Log("monitor_only", 2.0, logger: false);
            return null;
        }
    }

    [TestMethod]
    public void ValidateReturnsTheMetricsSentToTheLoggers()
    {
        using var model = new TwoKinds();
        var trainer = new Trainer(Quiet.Options());
        var results = trainer.Validate(model, RandomData.Batches(2), verbose: false);
        CollectionAssert.AreEquivalent(new[] { "shown" }, results[0].Keys.ToList());
        Assert.AreEqual(2.0, trainer.CallbackMetrics["monitor_only"], "a metric logged with logger: false is still a callback metric");
    }

    [TestMethod]
    public void ValidationLoadersForAModuleWithoutValidationStepAreSkippedWithAWarning()
    {
        using var model = new NoValidation();
        var said = CapturedOutput.ErrorOf(() => new Trainer(Quiet.Options()).Fit(model, RandomData.Batches(2), RandomData.Batches(2)));
        StringAssert.Contains(said, "You passed valDataloaders to Fit, but NoValidation does not override ValidationStep, so validation is skipped.");
    }

    private sealed class NoValidation : LightningModule<(Tensor X, Tensor Y)>
    {
        private readonly TorchSharp.Modules.Linear _layer = nn.Linear(8, 2);

        public NoValidation() => RegisterComponents();

        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => nn.functional.cross_entropy(_layer.forward(batch.X), batch.Y);

        public override OptimizerConfig? ConfigureOptimizers() => SGD(parameters(), 0.1);
    }

    private sealed class OwnEarlyStopping : TinyModel
    {
        public override IEnumerable<Callback> ConfigureCallbacks() => [new EarlyStopping("val_loss")];
    }

    [TestMethod]
    public void CallbacksFromConfigureCallbacksReplacingTheTrainersAreNamed()
    {
        var options = Quiet.Options();
        options.Callbacks.Add(new EarlyStopping("train_loss"));
        using var model = new OwnEarlyStopping();
        var trainer = new Trainer(options);
        var said = CapturedOutput.ErrorOf(() => trainer.Fit(model, RandomData.Batches(2), RandomData.Batches(1)));
        StringAssert.Contains(said, "The following callbacks returned by OwnEarlyStopping.ConfigureCallbacks() replace those of the same type passed to the Trainer: EarlyStopping");
        Assert.AreEqual("val_loss", trainer.EarlyStoppingCallback!.Monitor);
    }

    private sealed class ManualSteps : TinyModel
    {
        public ManualSteps() => AutomaticOptimization = false;

        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var optimizer = Optimizers()[0];
            optimizer.zero_grad();
            ManualBackward(nn.functional.cross_entropy(forward(batch.X), batch.Y));
            optimizer.step();
            return null;
        }
    }

    [TestMethod]
    public void GradientClippingUnderManualOptimizationIsAnError()
    {
        var options = Quiet.Options();
        options.GradientClipVal = 1.0;
        using var model = new ManualSteps();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(options).Fit(model, RandomData.Batches(2)));
        StringAssert.Contains(error.Message, "Automatic gradient clipping is not supported for manual optimization");
    }

    /// <summary>A loss whose forward value is finite but whose backward produces NaN (the square root's slope at 0 times 0).</summary>
    private sealed class NanInBackward : TinyModel
    {
        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) =>
            (forward(batch.X) * 0).sqrt().sum();
    }

    [TestMethod]
    public void DetectAnomalyStopsAtANanProducedInBackward()
    {
        using (var unchecked_ = new NanInBackward()) new Trainer(Quiet.Options()).Fit(unchecked_, RandomData.Batches(1));
        var options = Quiet.Options();
        options.DetectAnomaly = true;
        using var model = new NanInBackward();
        var error = Assert.Throws<Exception>(() => new Trainer(options).Fit(model, RandomData.Batches(1)));
        StringAssert.Contains(error.Message, "nan", StringComparison.OrdinalIgnoreCase);
    }

    private sealed class NotStrict : TinyModel
    {
        public override OptimizerConfig? ConfigureOptimizers()
        {
            var optimizer = SGD(parameters(), 0.1);
            return new OptimizerConfig(optimizer, new LRSchedulerConfig(lr_scheduler.ReduceLROnPlateau(optimizer)) { Monitor = "missing", Strict = false });
        }
    }

    [TestMethod]
    public void ASchedulerThatIsNotStrictWarnsOnceWhenItsMetricIsMissing()
    {
        using var model = new NotStrict();
        var said = CapturedOutput.ErrorOf(() => new Trainer(Quiet.Options(maxEpochs: 3)).Fit(model, RandomData.Batches(2)));
        const string warning = "conditioned on the metric 'missing', which is not available";
        StringAssert.Contains(said, warning);
        Assert.AreEqual(1, said.Split(warning).Length - 1, "once, not every epoch: " + said);
    }

    /// <summary>Reads the estimate where Lightning users size a OneCycle schedule; counts how often its loader is asked for.</summary>
    private sealed class SizesItsSchedule : TinyModel
    {
        public double Estimate { get; private set; }

        public int LoaderRequests { get; private set; }

        public override IEnumerable<(Tensor X, Tensor Y)>? TrainDataLoader()
        {
            LoaderRequests++;
            return RandomData.Batches(10);
        }

        public override OptimizerConfig? ConfigureOptimizers()
        {
            Estimate = Trainer!.EstimatedSteppingBatches;
            return base.ConfigureOptimizers();
        }
    }

    [TestMethod]
    [DataRow(-1, 8.0)]
    [DataRow(5, 5.0)]
    public void EstimatedSteppingBatchesCountsTheOptimizerStepsOfTheFit(int maxSteps, double expected)
    {
        var options = Quiet.Options(maxEpochs: 2);
        options.AccumulateGradBatches = 3;
        options.MaxSteps = maxSteps;
        using var model = new SizesItsSchedule();
        var trainer = new Trainer(options);
        trainer.Fit(model);
        Assert.AreEqual(expected, model.Estimate, "ceil(10 batches / 3) steps an epoch, 2 epochs, capped by MaxSteps");
        Assert.AreEqual(Math.Min(8, maxSteps == -1 ? 8 : maxSteps), trainer.GlobalStep, "the estimate was right");
        Assert.AreEqual(1, model.LoaderRequests, "the training loader is asked for once");
    }

    /// <summary>Keeps <c>hidden</c> and <c>name</c> but not <c>rate</c>, which it only uses.</summary>
    private sealed class PartlyKept : TinyModel
    {
        public PartlyKept(int hidden, double rate, string name, IReadOnlyCollection<string>? ignore = null)
        {
            Hidden = hidden;
            Name = name;
            _ = rate;
            SaveHyperparameters(ignore);
        }

        public int Hidden { get; }

        public string Name { get; }
    }

    [TestMethod]
    public void SaveHyperparametersNamesWhatItCouldNotReadAndTakesAnIgnoreList()
    {
        PartlyKept? model = null;
        var said = CapturedOutput.ErrorOf(() => model = new PartlyKept(16, 0.1, "net"));
        StringAssert.Contains(said, "PartlyKept.SaveHyperparameters() could not read the constructor arguments rate, ignore");
        CollectionAssert.AreEquivalent(new[] { "hidden", "name" }, model!.HParams.Keys.ToList());
        model.Dispose();

        said = CapturedOutput.ErrorOf(() => model = new PartlyKept(16, 0.1, "net", ignore: ["rate", "ignore", "name"]));
        Assert.AreEqual("", said, "nothing left unread");
        CollectionAssert.AreEquivalent(new[] { "hidden" }, model!.HParams.Keys.ToList());
        model.Dispose();

        var error = Assert.ThrowsExactly<ArgumentException>(() => new PartlyKept(16, 0.1, "net", ignore: ["lr"]));
        StringAssert.Contains(error.Message, "names lr, which is not a parameter of PartlyKept's constructor");
    }

    private sealed class LogsTrainingLoss : TinyModel
    {
        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var loss = base.TrainingStep(batch, batchIdx)!.Loss!;
            Log("train_loss", loss, progBar: true);
            return loss;
        }

        public override StepOutput? TestStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            Log("test_metric", 1.0, progBar: true);
            return null;
        }
    }

    [TestMethod]
    public void ATestAfterFitShowsItsOwnMetricsNotTraining()
    {
        var output = new StringWriter();
        var options = Quiet.Options();
        options.Callbacks.Add(new ProgressBar(output: output, interactive: false));
        using var model = new LogsTrainingLoss();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(2));
        Assert.IsTrue(trainer.ProgressBarMetrics.ContainsKey("train_loss"));
        trainer.Test(model, RandomData.Batches(2), verbose: false);
        var testing = output.ToString().Split(Environment.NewLine).Where(l => l.StartsWith("Testing", StringComparison.Ordinal)).ToList();
        Assert.IsNotEmpty(testing);
        Assert.IsFalse(testing.Any(l => l.Contains("train_loss", StringComparison.Ordinal)), "the test bar shows no training metric:\n" + output);
        StringAssert.Contains(testing[^1], "test_metric=1");
        Assert.IsFalse(trainer.CallbackMetrics.ContainsKey("train_loss"), "each run starts with no metrics, as Lightning's");
    }

    /// <summary>Logs each step's batch index to the bar, during training (as a tensor) and testing (as a number).</summary>
    private sealed class LogsBatchIndex : TinyModel
    {
        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            Log("batch", tensor((double)batchIdx), progBar: true);
            return base.TrainingStep(batch, batchIdx);
        }

        public override StepOutput? TestStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            Log("test_batch", batchIdx, progBar: true, onStep: true, onEpoch: false);
            return null;
        }
    }

    [TestMethod]
    public void TheBarShowsAStepsMetricsOnThatStepsLine()
    {
        var output = new StringWriter();
        var options = Quiet.Options();
        options.Callbacks.Add(new ProgressBar(output: output, interactive: false));
        using var model = new LogsBatchIndex();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(5));
        trainer.Test(model, RandomData.Batches(5), verbose: false);
        var lines = output.ToString().Split(Environment.NewLine);
        // Plain output writes a line at each of the first four fifths: after batch k of 5, whose index is k - 1.
        foreach (var (stage, name) in new[] { ("Epoch 0", "batch"), ("Testing", "test_batch") })
        {
            for (var k = 1; k <= 4; k++)
            {
                var line = lines.Single(l => l.StartsWith(stage, StringComparison.Ordinal) && l.Contains($"| {k}/5 ", StringComparison.Ordinal));
                StringAssert.Contains(line, $"{name}={k - 1}", $"batch {k}'s line shows batch {k}'s value:\n{output}");
            }
        }
    }

    private sealed class TwoValidationSets : TinyModel
    {
        public List<int> Loaders { get; } = [];

        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx)
        {
            Loaders.Add(dataloaderIdx);
            return base.ValidationStep(batch, batchIdx, dataloaderIdx);
        }
    }

    [TestMethod]
    public void FitTakesSeveralValidationLoaders()
    {
        var options = Quiet.Options();
        options.NumSanityValSteps = 0;
        using var model = new TwoValidationSets();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(2), [RandomData.Batches(2, seed: 1), RandomData.Batches(3, seed: 2)]);
        CollectionAssert.AreEqual(new[] { 0, 0, 1, 1, 1 }, model.Loaders, "each loader in turn, with its index");
        Assert.IsTrue(trainer.CallbackMetrics.ContainsKey("val_loss/dataloader_idx_0"));
        Assert.IsTrue(trainer.CallbackMetrics.ContainsKey("val_loss/dataloader_idx_1"));
        CollectionAssert.AreEqual(new[] { 2, 3 }, trainer.NumValBatches.ToList());
    }

    /// <summary>Gives two validation loaders from its hook, and two test loaders.</summary>
    private sealed class TwoSetsFromHooks : TinyModel
    {
        public override IReadOnlyList<IEnumerable<(Tensor X, Tensor Y)>>? TestDataLoaders() =>
            [RandomData.Batches(1, seed: 3), RandomData.Batches(2, seed: 4)];
    }

    private sealed class TwoValidationSetsData : LightningDataModule<(Tensor X, Tensor Y)>
    {
        public override IEnumerable<(Tensor X, Tensor Y)>? TrainDataLoader() => RandomData.Batches(2);

        public override IReadOnlyList<IEnumerable<(Tensor X, Tensor Y)>>? ValDataLoaders() =>
            [RandomData.Batches(2, seed: 1), RandomData.Batches(3, seed: 2)];
    }

    [TestMethod]
    public void LoaderHooksGiveSeveralValidationAndTestLoaders()
    {
        var options = Quiet.Options();
        options.NumSanityValSteps = 0;
        using var model = new TwoSetsFromHooks();
        var trainer = new Trainer(options);
        trainer.Fit(model, dataModule: new TwoValidationSetsData());
        CollectionAssert.AreEqual(new[] { 2, 3 }, trainer.NumValBatches.ToList(), "the data module's two validation loaders");
        Assert.IsTrue(trainer.CallbackMetrics.ContainsKey("val_loss/dataloader_idx_1"));

        var results = trainer.Test(model, verbose: false);
        CollectionAssert.AreEqual(new[] { 1, 2 }, trainer.NumTestBatches.ToList(), "the module's two test loaders");
        Assert.HasCount(2, results);
        Assert.IsTrue(results[1].ContainsKey("test_loss/dataloader_idx_1"));
    }
}
