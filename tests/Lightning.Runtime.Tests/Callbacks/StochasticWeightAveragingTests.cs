using Lightning.Tests.Support;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests;

/// <summary>StochasticWeightAveraging against a hand computation: the average, the annealed rates and the batch-norm epoch.</summary>
[TestClass]
public sealed class StochasticWeightAveragingTests
{
    /// <summary>Batch norm first, so its statistics depend on the data alone.</summary>
    private sealed class NormedModel : LightningModule<(Tensor X, Tensor Y)>
    {
        public NormedModel()
        {
            Norm = BatchNorm1d(8);
            Layer = Linear(8, 2);
            RegisterComponents();
        }

        public BatchNorm1d Norm { get; }

        public Linear Layer { get; }

        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) =>
            functional.cross_entropy(Layer.forward(Norm.forward(batch.X)), batch.Y);

        public override OptimizerConfig? ConfigureOptimizers() => optim.SGD(parameters(), 0.1);
    }

    private static List<Tensor> Kept(Module module) => module.parameters().Select(p => p.detach().clone().DetachFromDisposeScope()).ToList();

    private static LambdaCallback EpochRecorder(List<List<Tensor>> starts, List<double> lrs) => new(
        onTrainEpochStart: (_, module) => starts.Add(Kept(module)),
        onTrainEpochEnd: (trainer, _) => lrs.Add(trainer.Optimizers[0].ParamGroups.First().LearningRate));

    [TestMethod]
    public void TheModuleEndsWithTheMeanOfTheAveragedEpochsAndTheRateAnneals()
    {
        var starts = new List<List<Tensor>>();
        var lrs = new List<double>();
        var options = Quiet.Options(5);
        var swa = new StochasticWeightAveraging(0.02, swaEpochStart: 2, annealingEpochs: 2, annealingStrategy: SwaAnnealingStrategy.Linear);
        options.Callbacks.Add(swa);
        options.Callbacks.Add(EpochRecorder(starts, lrs));
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(2));

        Assert.AreEqual(3, swa.NumAveraged, "the starts of epochs 2, 3 and 4");
        var expected = starts[2].Select((t, i) => (t + starts[3][i] + starts[4][i]) / 3).ToList();
        var actual = model.Snapshot();
        for (var i = 0; i < expected.Count; i++) Assert.IsTrue(expected[i].allclose(actual[i], 1e-6, 1e-7), $"tensor {i}");
        // SWALR: 0.1 until SWA, then halfway (linear) to 0.02 in the second SWA epoch, and 0.02 from the third.
        CollectionAssert.AreEqual(new[] { 0.1, 0.1, 0.1, 0.06, 0.02 }, lrs.Select(v => Math.Round(v, 12)).ToArray());
    }

    [TestMethod]
    public void TheCosineAnnealingFollowsHalfACosine()
    {
        var swa = new StochasticWeightAveraging(0.02, annealingEpochs: 4);
        Assert.AreEqual(0.1, swa.LearningRate(0, 0.1, 0.02), 1e-12);
        Assert.AreEqual(0.02 * 0.5 + 0.1 * 0.5, swa.LearningRate(2, 0.1, 0.02), 1e-12);
        Assert.AreEqual(0.02 * (1 - Math.Cos(Math.PI / 4)) / 2 + 0.1 * (1 + Math.Cos(Math.PI / 4)) / 2, swa.LearningRate(1, 0.1, 0.02), 1e-12);
        Assert.AreEqual(0.02, swa.LearningRate(7, 0.1, 0.02), 1e-12);
    }

    [TestMethod]
    public void BatchNormStatisticsAreRecomputedInOneMoreEpochWithTheWeightsLeftAlone()
    {
        var starts = new List<List<Tensor>>();
        var lrs = new List<double>();
        var options = Quiet.Options(3);
        options.Callbacks.Add(new StochasticWeightAveraging(0.05, swaEpochStart: 1, annealingEpochs: 0));
        options.Callbacks.Add(EpochRecorder(starts, lrs));
        using var model = new NormedModel();
        var batches = RandomData.Batches(3);
        var trainer = new Trainer(options);
        trainer.Fit(model, batches);

        Assert.AreEqual(4, trainer.CurrentEpoch, "one epoch more than MaxEpochs for the statistics");
        Assert.AreEqual(3, options.MaxEpochs, "and MaxEpochs is given back");
        CollectionAssert.AreEqual(new[] { 0.1, 0.05, 0.05, 0.0 }, lrs.ToArray());
        var average = starts[1].Select((t, i) => (t + starts[2][i]) / 2).ToList();
        var final = Kept(model);
        for (var i = 0; i < average.Count; i++) Assert.IsTrue(average[i].allclose(final[i], 1e-6, 1e-7), $"parameter {i} is the average");
        // A plain average of each batch's mean and unbiased variance.
        var mean = stack(batches.Select(b => b.X.mean([0])).ToArray()).mean([0]);
        var variance = stack(batches.Select(b => b.X.var(0)).ToArray()).mean([0]);
        Assert.IsTrue(mean.allclose(model.Norm.running_mean!, 1e-5, 1e-6), "running mean");
        Assert.IsTrue(variance.allclose(model.Norm.running_var!, 1e-5, 1e-6), "running variance");
        Assert.AreEqual(0.1, model.Norm.momentum, "the momentum is given back");
    }

    [TestMethod]
    public void AResumedFitContinuesTheAverage()
    {
        using var straight = new TinyModel();
        using var resumed = new TinyModel();
        WeightCopy.Into(straight, resumed);
        var options = Quiet.Options(4);
        options.Callbacks.Add(new StochasticWeightAveraging(0.05, swaEpochStart: 1, annealingEpochs: 2));
        new Trainer(options).Fit(straight, RandomData.Batches(2));

        var folder = TempDir.Create();
        var first = Quiet.Options(4);
        first.MaxEpochs = 4;
        first.MaxSteps = 6;
        first.Callbacks.Add(new StochasticWeightAveraging(0.05, swaEpochStart: 1, annealingEpochs: 2));
        first.Callbacks.Add(new ModelCheckpoint(dirpath: folder, saveLast: true));
        new Trainer(first).Fit(resumed, RandomData.Batches(2));
        var second = Quiet.Options(4);
        var swa = new StochasticWeightAveraging(0.05, swaEpochStart: 1, annealingEpochs: 2);
        second.Callbacks.Add(swa);
        new Trainer(second).Fit(resumed, RandomData.Batches(2), ckptPath: Path.Combine(folder, "last.ckpt"));
        Assert.AreEqual(3, swa.NumAveraged);
        foreach (var (a, b) in straight.Snapshot().Zip(resumed.Snapshot())) Assert.IsTrue(a.allclose(b, 1e-6, 1e-7));
    }
}
