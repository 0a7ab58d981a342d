using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>Timer: the one mechanism behind MaxTime; its training time survives a resume.</summary>
[TestClass]
public sealed class TimerTests
{
    [TestMethod]
    public void MaxTimeWorksThroughATimer()
    {
        var options = Quiet.Options(maxEpochs: -1);
        options.MaxTime = TimeSpan.FromTicks(1);
        using var model = new TinyModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(5));
        Assert.AreEqual(1, trainer.Callbacks.OfType<Timer>().Count());
        Assert.AreEqual(1, trainer.GlobalStep, "the budget is spent by the first batch, and checked after each");
    }

    [TestMethod]
    public void AnEpochIntervalChecksAtEpochEnds()
    {
        var options = Quiet.Options(maxEpochs: 5);
        options.Callbacks.Add(new Timer(TimeSpan.Zero, TimerInterval.Epoch, verbose: false));
        using var model = new TinyModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(3));
        Assert.AreEqual(0, trainer.GlobalStep, "the check at fit start already stops");
        Assert.IsTrue(trainer.Callbacks.OfType<Timer>().Single().TimeElapsed() >= TimeSpan.Zero);
    }

    [TestMethod]
    public void LightningsDurationTextIsAccepted()
    {
        Assert.AreEqual(new TimeSpan(1, 12, 30, 5), new Timer("01:12:30:05").Duration);
        var error = Assert.ThrowsExactly<FormatException>(() => new Timer("12:00"));
        StringAssert.Contains(error.Message, "DD:HH:MM:SS");
    }

    [TestMethod]
    public void TrainingTimeIsRestoredFromACheckpoint()
    {
        var folder = TempDir.Create();
        var options = Quiet.Options(1);
        options.Callbacks.Add(new Timer(TimeSpan.FromDays(1)));
        options.Callbacks.Add(new ModelCheckpoint(dirpath: folder, saveLast: true));
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(2));
        double saved;
        using (TorchSharp.torch.NewDisposeScope())
        {
            var callbacks = (Dictionary<string, object?>)Checkpointing.CheckpointFile.Read(Path.Combine(folder, "last.ckpt"))["callbacks"]!;
            saved = (double)((Dictionary<string, object?>)((Dictionary<string, object?>)callbacks["Timer"]!)["time_elapsed"]!)["train"]!;
        }
        Assert.IsTrue(saved > 0);

        var timer = new Timer(TimeSpan.FromDays(1));
        var resumed = Quiet.Options(2);
        resumed.Callbacks.Add(timer);
        new Trainer(resumed).Fit(model, RandomData.Batches(2), ckptPath: Path.Combine(folder, "last.ckpt"));
        Assert.IsTrue(timer.TimeElapsed().TotalSeconds >= saved, "the resumed fit counts on from the saved training time");
    }
}
