using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>Training whose loss goes NaN goes on, as in Lightning, but says so once.</summary>
[TestClass]
public sealed class NonFiniteLossTests
{
    private sealed class DivergingModel : TinyModel
    {
        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var loss = base.TrainingStep(batch, batchIdx)!.Loss!;
            if (Trainer!.GlobalStep >= 2) loss = loss * double.NaN;
            Log("train_loss", loss, progBar: true);
            return loss;
        }
    }

    [TestMethod]
    public void TheFirstNonFiniteTrainingLossIsWarnedAboutOnce()
    {
        using var model = new DivergingModel();
        var trainer = new Trainer(Quiet.Options(maxEpochs: 2));
        var errors = CapturedOutput.ErrorOf(() => trainer.Fit(model, RandomData.Batches(4)));

        Assert.AreEqual(8, trainer.GlobalStep, "training goes on");
        var warnings = errors.Split(Environment.NewLine).Where(l => l.Contains("non-finite loss", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(1, warnings.Count, errors);
        StringAssert.Contains(warnings[0], "'train_loss' became NaN at epoch 0, global step 3");
    }
}
