using Lightning.Tests.Support;

namespace Lightning.Tests.Precision;

/// <summary>Every precision trains the digits classifier on the CPU about as well as float32.</summary>
[TestClass]
public sealed class PrecisionTrainingTests
{
    private static readonly Lazy<double> Float32Accuracy = new(() => TestAccuracy("32-true"));

    [TestMethod]
    [DataRow("64-true")]
    [DataRow("16-true")]
    [DataRow("bf16-true")]
    [DataRow("16-mixed")]
    [DataRow("bf16-mixed")]
    public void TrainsToWithinOnePointOfFloat32(string precision)
    {
        var accuracy = TestAccuracy(precision);
        Console.WriteLine($"{precision}: {accuracy:P2} (32-true: {Float32Accuracy.Value:P2})");
        Assert.IsTrue(Math.Abs(accuracy - Float32Accuracy.Value) <= 0.01,
            $"{precision} reached {accuracy:P2} test accuracy; 32-true reached {Float32Accuracy.Value:P2}.");
    }

    private static double TestAccuracy(string precision)
    {
        Trainer.SeedEverything(7);
        var (train, _, test) = Digits.Split();
        using var model = new DigitsClassifier();
        var options = Quiet.Options(maxEpochs: 10);
        options.Precision = precision;
        if (precision == "16-true") options.Callbacks.Add(new Float16Adam());
        var trainer = new Trainer(options);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        trainer.Fit(model, new TensorDataLoader(train.X, train.Y, 32, shuffle: true));
        Console.WriteLine($"{precision}: fit {watch.Elapsed.TotalSeconds:0.0}s, train_loss {trainer.CallbackMetrics["train_loss"]:0.000000}");
        return trainer.Test(model, new TensorDataLoader(test.X, test.Y, 512), verbose: false)[0]["test_acc"];
    }

    private sealed class Float16Adam : Callback
    {
        public override void OnFitStart(Trainer trainer, LightningModule module)
        {
            foreach (var group in trainer.Optimizers[0].ParamGroups.Cast<TorchSharp.Modules.Adam.ParamGroup>()) group.Options.eps = 1e-4;
        }
    }
}
