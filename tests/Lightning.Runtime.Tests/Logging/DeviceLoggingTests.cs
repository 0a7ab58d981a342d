using Lightning.Logging;
using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>Logged tensors stay on their device until a logger, the progress bar or a callback needs the number, as in Lightning.</summary>
[TestClass]
public sealed class DeviceLoggingTests
{
    private sealed class LoggingModel : TinyModel
    {
        public List<long> ReadsAfterLog { get; } = [];

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var loss = nn.functional.cross_entropy(forward(batch.X), batch.Y);
            Log("train_loss", loss, progBar: true);
            Log("scaled", loss * 2, onStep: true, onEpoch: true, reduce: Reduce.Max);
            Log("mean_loss", loss, onStep: false, onEpoch: true);
            ReadsAfterLog.Add(DeviceReads.Count);
            return loss;
        }
    }

    [TestMethod]
    public void StepsThatLogReadNothingBackAndTheEpochValuesAreRight()
    {
        var options = Quiet.Options(maxEpochs: 2);
        var readsAtBatchEnd = new List<long>();
        var losses = new List<double>();
        options.Callbacks = [new LambdaCallback(onTrainBatchEnd: (_, _, outputs, _, _) =>
        {
            readsAtBatchEnd.Add(DeviceReads.Count);
            losses.Add(outputs.Loss!.item<float>());
        })];
        using var model = new LoggingModel();
        var trainer = new Trainer(options);
        var before = DeviceReads.Count;
        trainer.Fit(model, RandomData.Batches(6));

        // The steps read nothing: the only reads are at the first epoch's end, the two epoch values and the first
        // non-finite step of train_loss, which the device tracked.
        CollectionAssert.AreEqual(Enumerable.Repeat(before, 6).Concat(Enumerable.Repeat(before + 3, 6)).ToList(), readsAtBatchEnd,
            "reads counted at each batch end");
        CollectionAssert.AreEqual(readsAtBatchEnd, model.ReadsAfterLog, "logging in the step read nothing either");
        Assert.AreEqual(losses.Skip(6).Average(), trainer.CallbackMetrics["mean_loss"], 1e-6, "the epoch mean, summed on the device");
        Assert.AreEqual(2 * losses.Skip(6).Max(), trainer.CallbackMetrics["scaled_epoch"], 1e-5, "the epoch maximum, on the device");
        Assert.AreEqual(2 * losses[^1], trainer.CallbackMetrics["scaled_step"], 1e-5);
        Assert.AreEqual(losses[^1], trainer.ProgressBarMetrics["train_loss"], 1e-6);
    }

    [TestMethod]
    public void ALoggerReadsOnlyTheStepsItWrites()
    {
        var logger = new RecordingLogger();
        var options = Quiet.Options();
        options.Logger = logger;
        options.LogEveryNSteps = 3;
        using var model = new LoggingModel();
        var before = DeviceReads.Count;
        new Trainer(options).Fit(model, RandomData.Batches(6));
        Assert.AreEqual(2, logger.Series("scaled_step").Count);
        // The two step values the logger writes at steps 3 and 6, the two epoch values, and the non-finite check's one.
        Assert.AreEqual(2 * 2 + 2 + 1, DeviceReads.Count - before, "reads in a run of 6 steps");
    }
}
