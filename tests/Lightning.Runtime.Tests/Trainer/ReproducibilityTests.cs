using Lightning.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>Same seed, same weights, bit for bit; no native memory kept from step to step.</summary>
[TestClass]
public sealed class ReproducibilityTests
{
    /// <summary>Dropout and shuffling both draw random numbers, so both must be seeded.</summary>
    private sealed class DropoutModel : TinyModel
    {
        private readonly Dropout _dropout = nn.Dropout(0.3);

        public DropoutModel() => RegisterComponents();

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) =>
            nn.functional.cross_entropy(Layer.forward(_dropout.forward(batch.X)), batch.Y);
    }

    private static List<Tensor> Run(long seed)
    {
        Trainer.SeedEverything(seed);
        using var model = new DropoutModel();
        var (x, y) = RandomData.Rows(64, seed: 3);
        var options = Quiet.Options(maxEpochs: 3);
        options.Deterministic = true;
        new Trainer(options).Fit(model, new TensorDataLoader(x, y, 8, shuffle: true));
        return model.Snapshot();
    }

    [TestMethod]
    public void SameSeedGivesIdenticalWeights()
    {
        var first = Run(42);
        var second = Run(42);
        var other = Run(43);
        for (var i = 0; i < first.Count; i++)
            Assert.IsTrue(first[i].equal(second[i]).all().item<bool>(), $"parameter {i} differs between two runs with the same seed");
        Assert.IsFalse(first.Zip(other).All(p => p.First.equal(p.Second).all().item<bool>()), "a different seed should give different weights");
    }

    [TestMethod]
    public void DeterministicTurnsOnLibTorchsSwitchForTheRunOnly()
    {
        var seen = new List<bool?>();
        var options = Quiet.Options();
        options.Deterministic = true;
        options.Callbacks.Add(new LambdaProbe(() => seen.Add(Lightning.Native.LibTorchContext.DeterministicAlgorithms)));
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(1));
        CollectionAssert.AreEqual(new bool?[] { true }, seen);
        Assert.IsFalse(Lightning.Native.LibTorchContext.DeterministicAlgorithms, "restored after the run");
    }

    private sealed class LambdaProbe(Action action) : Callback
    {
        public override void OnTrainStart(Trainer trainer, LightningModule module) => action();
    }

    [TestMethod]
    public void NoNativeMemoryGrowthOverThousandsOfSteps()
    {
        var probe = new MemoryProbe(checkpoints: [200, 2000]);
        var options = Quiet.Options(maxEpochs: -1);
        options.MaxSteps = 2000;
        options.Callbacks.Add(probe);
        Trainer.SeedEverything(0);
        using var model = new DigitsClassifier();
        var (train, val, _) = Digits.Split();
        new Trainer(options).Fit(model, new TensorDataLoader(train.X, train.Y, 32, shuffle: true), new TensorDataLoader(val.X, val.Y, 128));

        var (tensors200, rss200) = probe.Samples[0];
        var (tensors2000, rss2000) = probe.Samples[1];
        Assert.AreEqual(tensors200, tensors2000, "live tensors after 2,000 steps should equal those after 200");
        Assert.IsTrue(rss2000 <= rss200 * 1.05, $"RSS grew from {rss200 / 1024} MiB to {rss2000 / 1024} MiB");
    }

    private sealed class MemoryProbe(long[] checkpoints) : Callback
    {
        public List<(long Tensors, long RssKiB)> Samples { get; } = [];

        public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx)
        {
            if (!checkpoints.Contains(trainer.GlobalStep)) return;
            // Measured outside the step's scope would be cleaner, but the step's own tensors are the same at every step.
            Samples.Add((DisposeScopeManager.Statistics.ThreadTotalLiveCount, ResidentKiB()));
        }

        private static long ResidentKiB() =>
            long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
