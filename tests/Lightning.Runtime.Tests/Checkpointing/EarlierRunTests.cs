using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary><c>ckptPath: "best"</c> and <c>"last"</c> in a new trainer, as <c>dotnet run -- test --ckpt-path best</c> after a fit.</summary>
[TestClass]
public sealed class EarlierRunTests
{
    private static TrainerOptions Options(string root) => new()
    {
        MaxEpochs = 3, DefaultRootDir = root, EnableProgressBar = false, EnableModelSummary = false,
        Callbacks = [new ModelCheckpoint(monitor: "val_loss", saveLast: true)],
    };

    [TestMethod]
    public void ANewTrainerFindsTheBestAndLastCheckpointsOfTheLatestEarlierRun()
    {
        var root = TempDir.Create();
        using var fitted = new TinyModel();
        var first = new Trainer(Options(root));
        first.Fit(fitted, RandomData.Batches(4), RandomData.Batches(2, seed: 1));
        var best = first.CheckpointCallback!.BestModelPath;

        using var fresh = new TinyModel();
        var second = new Trainer(Options(root));
        var results = second.Test(fresh, RandomData.Batches(2, seed: 1), ckptPath: "best", verbose: false);
        Assert.AreEqual(first.CheckpointCallback.BestModelScore!.Value, results[0]["test_loss"], 1e-6,
            "testing on the validation data with the best weights gives the best validation loss");
        Assert.AreNotEqual(Path.GetDirectoryName(best), second.CheckpointCallback!.Dirpath, "the new trainer writes to a new version");

        using var resumed = new TinyModel();
        var longer = Options(root);
        longer.MaxEpochs = 4;
        var third = new Trainer(longer);
        third.Fit(resumed, RandomData.Batches(4), RandomData.Batches(2, seed: 1), ckptPath: "last");
        Assert.AreEqual(16, third.GlobalStep, "resumed after the earlier run's 12 steps");
    }

    [TestMethod]
    public void BestWithNothingOnDiskNamesWhereItLooked()
    {
        using var model = new TinyModel();
        var error = Assert.ThrowsExactly<CheckpointException>(() =>
            new Trainer(Options(TempDir.Create())).Test(model, RandomData.Batches(1), ckptPath: "best", verbose: false));
        StringAssert.Contains(error.Message, "found no best checkpoint");
    }
}
