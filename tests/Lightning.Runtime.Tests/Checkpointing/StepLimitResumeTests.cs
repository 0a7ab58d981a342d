using Lightning.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>
/// A fit stopped by <c>MaxSteps</c> in the middle of an epoch and resumed with a larger <c>MaxSteps</c> goes on
/// with the rest of that epoch, as Lightning's does, so it trains on the same batches as the straight run.
/// </summary>
[TestClass]
public sealed class StepLimitResumeTests
{
    private sealed class Recording : TinyModel
    {
        public List<(int Epoch, int Batch)> Seen { get; } = [];

        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            Seen.Add((CurrentEpoch, batchIdx));
            return base.TrainingStep(batch, batchIdx);
        }
    }

    private static TrainerOptions Options(string root, int maxSteps)
    {
        var options = Quiet.Options();
        options.DefaultRootDir = root;
        options.EnableCheckpointing = true;
        options.MaxEpochs = null;
        options.MaxSteps = maxSteps;
        options.Deterministic = true;
        return options;
    }

    [TestMethod]
    public void ResumingAfterAStepLimitEqualsTheStraightRun()
    {
        var batches = RandomData.Batches(4);
        torch.manual_seed(11);
        using var straight = new Recording();
        new Trainer(Options(TempDir.Create(), maxSteps: 6)).Fit(straight, batches);

        var root = TempDir.Create();
        torch.manual_seed(11);
        using var first = new Recording();
        var firstTrainer = new Trainer(Options(root, maxSteps: 3));
        firstTrainer.Fit(first, batches);
        var checkpoint = firstTrainer.CheckpointCallback!.BestModelPath;
        Assert.AreEqual("epoch=0-step=3.ckpt", Path.GetFileName(checkpoint));

        using var resumed = new Recording();
        new Trainer(Options(root, maxSteps: 6)).Fit(resumed, batches, ckptPath: checkpoint);

        CollectionAssert.AreEqual(straight.Seen, first.Seen.Concat(resumed.Seen).ToList(), "the resumed fit goes on at the cut epoch's fourth batch");
        var expected = straight.Snapshot();
        var actual = resumed.Snapshot();
        for (var i = 0; i < expected.Count; i++)
            Assert.IsTrue(expected[i].equal(actual[i]).all().item<bool>(), $"parameter {i} differs from the straight run");
    }
}
