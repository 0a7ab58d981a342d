using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>The fit's position as the trainer shows it: the training loops own it, and other loops do not move it.</summary>
[TestClass]
public sealed class FitPositionTests
{
    /// <summary>Records the trainer's position in each validation step and at each training epoch's end.</summary>
    private sealed class PositionModel : TinyModel
    {
        public List<(string Where, int Epoch, int BatchIdx, int Completed, long Step)> Seen { get; } = [];

        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            Record("validation");
            return base.ValidationStep(batch, batchIdx);
        }

        public override void OnTrainEpochEnd() => Record("epoch end");

        private void Record(string where)
        {
            var t = Trainer!;
            Seen.Add((where, t.CurrentEpoch, t.BatchIdx, t.BatchesCompletedInEpoch, t.GlobalStep));
        }
    }

    [TestMethod]
    public void ValidationShowsItsOwnBatchAndLeavesTheTrainingPositionAsItWas()
    {
        using var model = new PositionModel();
        var options = Quiet.Options(maxEpochs: 2);
        options.NumSanityValSteps = 0;
        new Trainer(options).Fit(model, RandomData.Batches(5), RandomData.Batches(3, seed: 1));

        CollectionAssert.AreEqual(new[]
        {
            ("validation", 0, 0, 5, 5L), ("validation", 0, 1, 5, 5L), ("validation", 0, 2, 5, 5L), ("epoch end", 0, 4, 5, 5L),
            ("validation", 1, 0, 5, 10L), ("validation", 1, 1, 5, 10L), ("validation", 1, 2, 5, 10L), ("epoch end", 1, 4, 5, 10L),
        }, model.Seen, "after validation the trainer shows the epoch's last training batch again, not validation's");
    }
}
