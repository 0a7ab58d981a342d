using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>The 0.x style from Lightning's tutorials: returned dictionaries and <c>*EpochEnd(outputs)</c> hooks.</summary>
[TestClass]
public sealed class LegacyStyleTests
{
    private sealed class TutorialModel : TinyModel
    {
        public List<int> TrainingOutputCounts { get; } = [];
        public List<int> ValidationOutputCounts { get; } = [];
        public List<double> ValidationLosses { get; } = [];

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var loss = nn.functional.cross_entropy(forward(batch.X), batch.Y);
            return new StepOutput(loss)
            {
                Log = { ["train_loss"] = loss },
                ProgressBar = { ["batch_mean"] = batch.X.mean() },
            };
        }

        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var loss = nn.functional.cross_entropy(forward(batch.X), batch.Y);
            ValidationLosses.Add(loss.item<float>());
            return new StepOutput { ["val_loss"] = loss };
        }

        public override StepOutput? TrainingEpochEnd(IReadOnlyList<StepOutput> outputs)
        {
            TrainingOutputCounts.Add(outputs.Count);
            Assert.IsFalse(outputs[0].Loss!.requires_grad, "kept outputs are detached from the graph");
            return null;
        }

        public override StepOutput? ValidationEpochEnd(IReadOnlyList<StepOutput> outputs)
        {
            ValidationOutputCounts.Add(outputs.Count);
            var mean = stack(outputs.Select(o => o["val_loss"]).ToArray()).mean();
            return new StepOutput { Log = { ["avg_val_loss"] = mean }, ProgressBar = { ["avg_val_loss"] = mean } };
        }
    }

    [TestMethod]
    public void ReturnedDictionariesAreLoggedAndEpochEndHooksReceiveEveryOutput()
    {
        var logger = new RecordingLogger();
        var options = Quiet.Options(maxEpochs: 2);
        options.Logger = logger;
        options.LogEveryNSteps = 1;
        options.NumSanityValSteps = 0;
        using var model = new TutorialModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(3), RandomData.Batches(4, seed: 1));

        CollectionAssert.AreEqual(new[] { 3, 3 }, model.TrainingOutputCounts);
        CollectionAssert.AreEqual(new[] { 4, 4 }, model.ValidationOutputCounts);
        var lastEpoch = model.ValidationLosses.Skip(4).Average();
        Assert.AreEqual(lastEpoch, trainer.CallbackMetrics["avg_val_loss"], 1e-6);
        Assert.AreEqual(lastEpoch, trainer.ProgressBarMetrics["avg_val_loss"], 1e-6);
        Assert.AreEqual(6, logger.Series("train_loss").Count, "the step's log dictionary is logged every step");
        Assert.IsTrue(trainer.ProgressBarMetrics.ContainsKey("batch_mean"));
        Assert.IsFalse(trainer.LoggedMetrics.ContainsKey("batch_mean"), "progress-bar entries do not go to the loggers");
    }

    [TestMethod]
    public void OutputsAreNotKeptWhenNoEpochEndHookIsOverridden()
    {
        var statistics = TorchSharp.DisposeScopeManager.Statistics;
        using var model = new TinyModel();
        var trainer = new Trainer(Quiet.Options());
        var data = RandomData.Batches(20);
        var live = statistics.ThreadTotalLiveCount;
        trainer.Fit(model, data);
        Assert.AreEqual(live, statistics.ThreadTotalLiveCount, "no tensor outlives its step");
    }
}
