using Lightning.Tests.Support;

namespace Lightning.Tests;

[TestClass]
public sealed class DigitsTrainingTests
{
    [TestMethod]
    public void FitThenTestReachesNinetyFivePercent()
    {
        Trainer.SeedEverything(7);
        var (train, val, test) = Digits.Split();
        using var model = new DigitsClassifier();
        var root = TempDir.Create();
        var trainer = new Trainer(new TrainerOptions { MaxEpochs = 15, DefaultRootDir = root, EnableProgressBar = false, EnableModelSummary = false });
        trainer.Fit(model, new TensorDataLoader(train.X, train.Y, 32, shuffle: true), new TensorDataLoader(val.X, val.Y, 128));
        // Read before Test: each run starts with no metrics, as in Lightning.
        Assert.IsTrue(trainer.CallbackMetrics["val_acc"] >= 0.9);
        var results = trainer.Test(model, new TensorDataLoader(test.X, test.Y, 128), verbose: false);
        Assert.IsTrue(results[0]["test_acc"] >= 0.95, $"test accuracy {results[0]["test_acc"]:0.000} is under 0.95");
        Assert.AreEqual(15, trainer.CurrentEpoch);
    }
}
