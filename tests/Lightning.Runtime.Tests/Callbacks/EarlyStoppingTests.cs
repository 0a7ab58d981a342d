using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>EarlyStopping: patience counted in validation checks, thresholds, non-finite values, its checkpointed state.</summary>
[TestClass]
public sealed class EarlyStoppingTests
{
    private static (EarlyStopping Callback, Trainer Trainer) Fit(EarlyStopping callback, int maxEpochs, params double[] values)
    {
        var options = ScriptedModel.Options(maxEpochs);
        options.Callbacks.Add(callback);
        using var model = new ScriptedModel(values);
        return (callback, model.Fit(options));
    }

    [TestMethod]
    public void StopsWhenTheMetricPlateausForPatienceChecks()
    {
        var (callback, trainer) = Fit(new EarlyStopping("val_loss", patience: 2), 10, 1.0, 0.9, 0.9, 0.95, 0.8);
        Assert.AreEqual(4, trainer.CurrentEpoch, "epochs 0-3 ran: 0.9 improved at epoch 1, then two checks without improvement");
        Assert.AreEqual(3, callback.StoppedEpoch);
        Assert.AreEqual(EarlyStoppingReason.PatienceExhausted, callback.StoppingReason);
        Assert.AreEqual(0.9, callback.BestScore, 1e-7);
        Assert.AreEqual(2, callback.WaitCount);
        StringAssert.Contains(callback.StoppingReasonMessage, "did not improve in the last 2 records");
    }

    [TestMethod]
    public void StopsOnANonFiniteValue()
    {
        var (callback, trainer) = Fit(new EarlyStopping("val_loss", patience: 10), 10, 1.0, 0.5, double.NaN, 0.1);
        Assert.AreEqual(3, trainer.CurrentEpoch);
        Assert.AreEqual(EarlyStoppingReason.NonFiniteMetric, callback.StoppingReason);
        StringAssert.Contains(callback.StoppingReasonMessage, "is not finite");
        Assert.AreEqual(0.5, callback.BestScore, 1e-7);
    }

    [TestMethod]
    public void StoppingOnANonFiniteValueIsSaidEvenWhenNotVerbose()
    {
        var output = new StringWriter();
        Fit(new EarlyStopping("val_loss", patience: 10, output: output), 10, 1.0, 0.5, double.NaN, 0.1);
        Assert.AreEqual("Monitored metric val_loss = nan is not finite. Previous best value was 0.500. Signaling Trainer to stop." + Environment.NewLine,
            output.ToString(), "what Lightning says, and nothing about the checks before");
    }

    [TestMethod]
    public void ANonFiniteValueIsIgnoredWithoutCheckFinite()
    {
        var (callback, trainer) = Fit(new EarlyStopping("val_loss", patience: 10, checkFinite: false), 4, 1.0, double.PositiveInfinity, 0.5);
        Assert.AreEqual(4, trainer.CurrentEpoch);
        Assert.AreEqual(EarlyStoppingReason.NotStopped, callback.StoppingReason);
    }

    [TestMethod]
    public void MinDeltaDecidesWhatCountsAsAnImprovement()
    {
        var (callback, trainer) = Fit(new EarlyStopping("val_loss", minDelta: 0.1, patience: 1), 10, 1.0, 0.95, 0.5);
        Assert.AreEqual(2, trainer.CurrentEpoch, "0.95 is not 0.1 better than 1.0");
        Assert.AreEqual(1.0, callback.BestScore, 1e-7);
    }

    [TestMethod]
    public void ThresholdsStopAtOnce()
    {
        var (reached, _) = Fit(new EarlyStopping("val_loss", stoppingThreshold: 0.3), 10, 1.0, 0.5, 0.25, 0.1);
        Assert.AreEqual(EarlyStoppingReason.StoppingThreshold, reached.StoppingReason);
        Assert.AreEqual(2, reached.StoppedEpoch);

        var (diverged, _) = Fit(new EarlyStopping("val_loss", divergenceThreshold: 5), 10, 1.0, 6.0, 0.5);
        Assert.AreEqual(EarlyStoppingReason.DivergenceThreshold, diverged.StoppingReason);
        Assert.AreEqual(1, diverged.StoppedEpoch);
    }

    [TestMethod]
    public void ModeMaxWantsHigherValues()
    {
        var (callback, trainer) = Fit(new EarlyStopping("val_loss", mode: MonitorMode.Max, patience: 1), 10, 0.5, 0.7, 0.6, 0.9);
        Assert.AreEqual(3, trainer.CurrentEpoch);
        Assert.AreEqual(0.7, callback.BestScore, 1e-7);
    }

    [TestMethod]
    public void PatienceCountsValidationChecksNotEpochs()
    {
        var options = ScriptedModel.Options(10);
        options.ValCheckInterval = 0.5;
        var callback = new EarlyStopping("val_loss", patience: 2);
        options.Callbacks.Add(callback);
        using var model = new ScriptedModel(1.0, 1.0, 1.0, 0.5);
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(4), RandomData.Batches(1, seed: 1));
        Assert.AreEqual(1, callback.StoppedEpoch, "the third check is the first of epoch 1");
        Assert.AreEqual(2, trainer.CurrentEpoch);
        Assert.AreEqual(6, trainer.GlobalStep, "epoch 1 stopped after the check at its second batch");
    }

    [TestMethod]
    public void ItsStateIsCheckpointedAndRestored()
    {
        var folder = TempDir.Create();
        var options = ScriptedModel.Options(3);
        options.Callbacks.Add(new EarlyStopping("val_loss", patience: 5));
        options.Callbacks.Add(new ModelCheckpoint(dirpath: folder, saveLast: true));
        using (var model = new ScriptedModel(1.0, 0.5, 0.6))
            model.Fit(options);

        var resumed = ScriptedModel.Options(4);
        var callback = new EarlyStopping("val_loss", patience: 5);
        resumed.Callbacks.Add(callback);
        using var next = new ScriptedModel(0.7);
        var trainer = new Trainer(resumed);
        trainer.Fit(next, RandomData.Batches(2), RandomData.Batches(1, seed: 1), ckptPath: Path.Combine(folder, "last.ckpt"));
        Assert.AreEqual(0.5, callback.BestScore, 1e-7, "the best score came from the checkpoint");
        Assert.AreEqual(2, callback.WaitCount, "one check without improvement before the checkpoint, one after");
    }

    [TestMethod]
    public void AnEpochCutShortBeforeItsValidationIsNotAMissingMetric()
    {
        var options = Quiet.Options(maxEpochs: 3);
        options.MaxSteps = 1;
        options.NumSanityValSteps = 0;
        options.Callbacks.Add(new EarlyStopping("val_loss"));
        using var model = new TinyModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(4), RandomData.Batches(2, seed: 1));
        Assert.AreEqual(1, trainer.GlobalStep);

        var strict = Quiet.Options(maxEpochs: 1);
        strict.Callbacks.Add(new EarlyStopping("val_acc"));
        using var other = new TinyModel();
        var error = Assert.ThrowsExactly<MissingMetricException>(() => new Trainer(strict).Fit(other, RandomData.Batches(2), RandomData.Batches(1)));
        StringAssert.Contains(error.Message, "found no metric 'val_acc'", "a full epoch without the metric is still an error");
        Assert.AreEqual("val_acc", error.Metric);
        CollectionAssert.Contains(error.Logged.ToList(), "val_loss");
    }
}
