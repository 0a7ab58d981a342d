using Lightning.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning.Tests;

/// <summary>Automatic optimization (accumulation, clipping, schedulers) and manual optimization.</summary>
[TestClass]
public sealed class OptimizationTests
{
    [TestMethod]
    public void AccumulatingKBatchesEqualsOneBatchKTimesLarger()
    {
        var (x, y) = RandomData.Rows(16, seed: 5);
        List<Tensor> Train(int batchSize, int accumulate)
        {
            torch.manual_seed(1);
            using var model = new TinyModel();
            var options = Quiet.Options();
            options.AccumulateGradBatches = accumulate;
            new Trainer(options).Fit(model, new TensorDataLoader(x, y, batchSize));
            return model.Snapshot();
        }
        var accumulated = Train(batchSize: 4, accumulate: 4);
        var whole = Train(batchSize: 16, accumulate: 1);
        for (var i = 0; i < whole.Count; i++)
            Assert.IsTrue(accumulated[i].allclose(whole[i], rtol: 1e-5, atol: 1e-6), $"parameter {i} differs");
    }

    [TestMethod]
    public void ZeroGradDropsGradientsAndAccumulationKeepsThem()
    {
        // What the gradients hold just before each backward: none before the first and at the start of the next
        // accumulation window (dropped, as Lightning's zero_grad does by default, on the CPU too), the last batch's
        // inside a window.
        var seen = new List<string>();
        var options = Quiet.Options();
        options.AccumulateGradBatches = 2;
        options.Callbacks = [new LambdaCallback(onBeforeBackward: (_, module, _) =>
        {
            var grads = module.parameters().Select(p => p.grad).ToList();
            seen.Add(grads.All(g => g is null) ? "none" : grads.All(g => g is not null && g.count_nonzero().item<long>() == 0) ? "zeros" : "values");
            grads.ForEach(g => g?.Dispose());
        })];
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(4));
        CollectionAssert.AreEqual(new[] { "none", "values", "none", "values" }, seen);
    }

    private sealed class GradientProbe : TinyModel
    {
        public List<double> Norms { get; } = [];
        public List<double> MaxAbs { get; } = [];

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) =>
            nn.functional.cross_entropy(forward(batch.X), batch.Y) * 1000;

        public override void OptimizerStep(int epoch, int batchIdx, Optimizer optimizer, Func<Tensor>? optimizerClosure)
        {
            var grads = parameters().Select(p => p.grad!).ToList();
            Norms.Add(Math.Sqrt(grads.Sum(g => g.pow(2).sum().item<float>())));
            MaxAbs.Add(grads.Max(g => g.abs().max().item<float>()));
            base.OptimizerStep(epoch, batchIdx, optimizer, optimizerClosure);
        }
    }

    [TestMethod]
    public void GradientClippingByNormAndByValue()
    {
        foreach (var algorithm in new[] { GradientClipAlgorithm.Norm, GradientClipAlgorithm.Value })
        {
            using var model = new GradientProbe();
            var options = Quiet.Options();
            options.GradientClipVal = 0.5;
            options.GradientClipAlgorithm = algorithm;
            new Trainer(options).Fit(model, RandomData.Batches(3));
            var measured = algorithm == GradientClipAlgorithm.Norm ? model.Norms : model.MaxAbs;
            Assert.IsTrue(measured.All(v => v <= 0.5 + 1e-5), $"{algorithm}: {string.Join(", ", measured)}");
            Assert.IsTrue(measured.Any(v => v > 0.4), $"{algorithm}: clipping should bind, got {string.Join(", ", measured)}");
        }
        using var unclipped = new GradientProbe();
        new Trainer(Quiet.Options()).Fit(unclipped, RandomData.Batches(3));
        Assert.IsTrue(unclipped.Norms.Max() > 1, "without GradientClipVal nothing is clipped");
    }

    private sealed class ScheduledModel(Func<Optimizer, OptimizerConfig> configure, (int Epoch, int Batch)? endEpochAt = null) : TinyModel
    {
        public override OptimizerConfig? ConfigureOptimizers() => configure(SGD(parameters(), 0.1));

        public override int OnTrainBatchStart((Tensor X, Tensor Y) batch, int batchIdx) => endEpochAt == (CurrentEpoch, batchIdx) ? -1 : 0;

        // A validation loss that never improves, whatever the weights: a plateau by construction.
        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            Log("val_loss", 1.0);
            return null;
        }
    }

    private static double LearningRateAfter(Func<Optimizer, OptimizerConfig> configure, int epochs, int batches, Action<TrainerOptions>? tweak = null,
        (int Epoch, int Batch)? endEpochAt = null)
    {
        using var model = new ScheduledModel(configure, endEpochAt);
        var options = Quiet.Options(maxEpochs: epochs);
        tweak?.Invoke(options);
        new Trainer(options).Fit(model, RandomData.Batches(batches), RandomData.Batches(2, seed: 1));
        return model.Trainer!.Optimizers[0].ParamGroups.First().LearningRate;
    }

    [TestMethod]
    public void SchedulersStepPerEpochByDefaultPerStepWhenAskedAndAtTheirFrequency()
    {
        Assert.AreEqual(0.1 * 0.25, LearningRateAfter(o => (o, lr_scheduler.StepLR(o, 1, 0.5)), epochs: 2, batches: 3), 1e-12);
        Assert.AreEqual(0.1 * Math.Pow(0.5, 6), LearningRateAfter(o => new OptimizerConfig(o,
            new LRSchedulerConfig(lr_scheduler.StepLR(o, 1, 0.5)) { Interval = SchedulerInterval.Step }), epochs: 2, batches: 3), 1e-12);
        // Lightning counts a step scheduler's frequency in batches of the epoch: with 3 batches, only the second of each epoch.
        Assert.AreEqual(0.1 * 0.25, LearningRateAfter(o => new OptimizerConfig(o,
            new LRSchedulerConfig(lr_scheduler.StepLR(o, 1, 0.5)) { Interval = SchedulerInterval.Step, Frequency = 2 }), epochs: 2, batches: 3), 1e-12);
    }

    [TestMethod]
    public void ReduceLROnPlateauFollowsItsMonitor()
    {
        // The validation loss never improves, so with patience 0 the rate drops every epoch after the first.
        var lr = LearningRateAfter(o => new OptimizerConfig(o,
            new LRSchedulerConfig(lr_scheduler.ReduceLROnPlateau(o, factor: 0.5, patience: 0)) { Monitor = "val_loss" }), epochs: 3, batches: 2,
            options => options.NumSanityValSteps = 0);
        Assert.AreEqual(0.1 * 0.25, lr, 1e-12, "reduced after the second and the third epoch");
    }

    [TestMethod]
    public void ReduceLROnPlateauStepsOnlyAfterAnEpochThatReachedItsLastBatch()
    {
        static OptimizerConfig Plateau(Optimizer o) =>
            new(o, new LRSchedulerConfig(lr_scheduler.ReduceLROnPlateau(o, factor: 0.5, patience: 0)) { Monitor = "val_loss" });
        static void NoSanityCheck(TrainerOptions options) => options.NumSanityValSteps = 0;
        Assert.AreEqual(0.1 * 0.5, LearningRateAfter(Plateau, epochs: 3, batches: 3, NoSanityCheck, endEpochAt: (1, 1)), 1e-12,
            "the second epoch, ended by OnTrainBatchStart's -1 before its last batch, does not step it, as in Lightning");
        Assert.AreEqual(0.1 * 0.5, LearningRateAfter(Plateau, epochs: 3, batches: 3, NoSanityCheck, endEpochAt: (0, 1)), 1e-12,
            "nor does a first epoch ended that way, before any val_loss exists (no missing metric)");
        Assert.AreEqual(0.1 * 0.25, LearningRateAfter(Plateau, epochs: 3, batches: 3, NoSanityCheck, endEpochAt: (1, 2)), 1e-12,
            "-1 at the last batch leaves an epoch that reached its end: it steps, as Lightning's ready-batch count has it");
        Assert.AreEqual(0.1, LearningRateAfter(Plateau, epochs: 3, batches: 3, options =>
        {
            NoSanityCheck(options);
            options.MaxSteps = 1;
        }), 1e-12, "an epoch cut short by MaxSteps before its validation does not step it (and misses no metric)");
    }

    [TestMethod]
    public void ReduceLROnPlateauWithoutMonitorIsRejectedBeforeTraining()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() =>
            LearningRateAfter(o => (o, lr_scheduler.ReduceLROnPlateau(o)), epochs: 1, batches: 1));
        StringAssert.Contains(error.Message, "Monitor = \"val_loss\"");
    }

    [TestMethod]
    public void MonitoringAMetricThatIsNeverLoggedNamesIt()
    {
        var error = Assert.ThrowsExactly<MissingMetricException>(() => LearningRateAfter(o => new OptimizerConfig(o,
            new LRSchedulerConfig(lr_scheduler.ReduceLROnPlateau(o)) { Monitor = "val_acc" }), epochs: 1, batches: 1));
        StringAssert.Contains(error.Message, "'val_acc', which was not logged");
        Assert.AreEqual("val_acc", error.Metric);
        CollectionAssert.AreEqual(new[] { "val_loss" }, error.Logged.ToArray());
    }

    /// <summary>Two optimizers stepped by hand, as a GAN's training step does.</summary>
    private sealed class ManualModel : TinyModel
    {
        private readonly TorchSharp.Modules.Linear _second = nn.Linear(8, 2);

        public ManualModel()
        {
            AutomaticOptimization = false;
            RegisterComponents();
        }

        public int Backwards { get; private set; }

        public override void Backward(Tensor loss)
        {
            Backwards++;
            base.Backward(loss);
        }

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var optimizers = Optimizers();
            foreach (var (optimizer, layer) in optimizers.Zip(new[] { Layer, _second }))
            {
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(layer.forward(batch.X), batch.Y);
                ManualBackward(loss);
                optimizer.step();
            }
            return new StepOutput();
        }

        public override OptimizerConfig? ConfigureOptimizers() =>
            new OptimizerConfig([SGD(Layer.parameters(), 0.1), SGD(_second.parameters(), 0.1)]);
    }

    private sealed class ManualZeroGradProbe : TinyModel
    {
        public List<bool> DroppedAfterZeroGrad { get; } = [];

        public ManualZeroGradProbe() => AutomaticOptimization = false;

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var optimizer = Optimizers().Single();
            optimizer.zero_grad();
            DroppedAfterZeroGrad.Add(parameters().All(p => p.grad is null));
            ManualBackward(nn.functional.cross_entropy(forward(batch.X), batch.Y));
            optimizer.step();
            return new StepOutput();
        }
    }

    [TestMethod]
    public void ManualOptimizationsZeroGradDropsTheGradientsAsLightningsDoes()
    {
        // TinyModel's optimizer is TorchSharp's, whose own zero_grad() would zero them in place.
        using var model = new ManualZeroGradProbe();
        new Trainer(Quiet.Options()).Fit(model, RandomData.Batches(3));
        CollectionAssert.AreEqual(new[] { true, true, true }, model.DroppedAfterZeroGrad);
    }

    [TestMethod]
    public void ManualOptimizationStepsEachOptimizerAndCountsEachStep()
    {
        using var model = new ManualModel();
        var before = model.Snapshot();
        var trainer = new Trainer(Quiet.Options());
        trainer.Fit(model, RandomData.Batches(3));
        Assert.AreEqual(6, trainer.GlobalStep, "two optimizer steps per batch");
        Assert.AreEqual(6, model.Backwards, "ManualBackward runs the Backward hook; the trainer adds no backward of its own");
        Assert.IsTrue(model.Snapshot().Zip(before).All(p => !p.First.allclose(p.Second)), "every parameter moved");
    }

    [TestMethod]
    public void SeveralOptimizersNeedManualOptimization()
    {
        using var model = new ScheduledModel(o => new OptimizerConfig([o, SGD(new TinyModel().parameters(), 0.1)]));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(Quiet.Options()).Fit(model, RandomData.Batches(1)));
        StringAssert.Contains(error.Message, "AutomaticOptimization = false");
    }

    /// <summary>LBFGS evaluates the loss several times per step through the closure the trainer hands it.</summary>
    private sealed class LbfgsModel : TinyModel
    {
        public LbfgsModel(bool manual)
        {
            Manual = manual;
            AutomaticOptimization = !manual;
        }

        public int Steps { get; private set; }

        public bool Manual { get; }

        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            if (!Manual)
            {
                Steps++;
                return base.TrainingStep(batch, batchIdx);
            }
            var optimizer = Optimizers()[0];
            optimizer.step(() =>
            {
                Steps++;
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(forward(batch.X), batch.Y);
                ManualBackward(loss);
                return loss;
            });
            return null;
        }

        public override OptimizerConfig? ConfigureOptimizers() => LBFGS(parameters(), lr: 0.5, max_iter: 4);
    }

    /// <summary>The same LBFGS steps written by hand with TorchSharp.</summary>
    private static (List<Tensor> Weights, int Evaluations) PlainLbfgs(List<(Tensor X, Tensor Y)> batches)
    {
        torch.manual_seed(3);
        using var model = new TinyModel();
        var optimizer = LBFGS(model.parameters(), lr: 0.5, max_iter: 4);
        var evaluations = 0;
        foreach (var (x, y) in batches)
        {
            optimizer.step(() =>
            {
                evaluations++;
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(x), y);
                loss.backward();
                return loss;
            });
        }
        return (model.Snapshot(), evaluations);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void LbfgsStepsThroughTheClosureAsInPlainTorchSharp(bool manual)
    {
        var batches = RandomData.Batches(3);
        var (expected, evaluations) = PlainLbfgs(batches);
        torch.manual_seed(3);
        using var model = new LbfgsModel(manual);
        var trainer = new Trainer(Quiet.Options());
        trainer.Fit(model, batches);
        Assert.AreEqual(3, trainer.GlobalStep, "one optimizer step per batch");
        Assert.IsGreaterThan(3, evaluations, "LBFGS evaluates the loss more than once per step");
        Assert.AreEqual(evaluations, model.Steps, "the training step ran once per evaluation LBFGS asked for");
        var weights = model.Snapshot();
        for (var i = 0; i < expected.Count; i++)
            Assert.IsTrue(weights[i].allclose(expected[i], rtol: 1e-5, atol: 1e-6), $"parameter {i} differs from the plain LBFGS loop");
    }
}
