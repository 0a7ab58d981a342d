using Lightning.IO;
using Lightning.Tests.Support;

namespace Lightning.Tests.IO;

/// <summary>Training goes on while another program holds a checkpoint or <c>metrics.csv</c> open; the save that could not happen says so.</summary>
[TestClass]
public sealed class HeldFileTrainingTests
{
    [TestMethod]
    public void AHeldLastCheckpointFailsItsSavesWithAWarningAndTrainingGoesOn()
    {
        var folder = TempDir.Create();
        var options = Quiet.Options(3);
        options.Callbacks.Add(new ModelCheckpoint(dirpath: folder, saveLast: true));
        var held = new HeldFiles(name => name == "last.ckpt");
        using var model = new TinyModel();
        var trainer = new Trainer(options);
        using (var errors = new CapturedOutput())
        using (FileOperations.Use(held))
        {
            trainer.Fit(model, RandomData.Batches(2));
            StringAssert.Contains(errors.Error, "ModelCheckpoint did not save this checkpoint; training goes on.");
            StringAssert.Contains(errors.Error, "last.ckpt: another program keeps it open");
        }
        Assert.AreEqual(3, trainer.CurrentEpoch, "every epoch ran");
        CollectionAssert.AreEquivalent(new[] { "epoch=2-step=6.ckpt" }, Directory.GetFiles(folder).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void AHeldCheckpointTheRankingDropsIsLeftWithAWarning()
    {
        var folder = TempDir.Create();
        var options = Quiet.Options(2);
        var held = new HeldFiles(name => name == "epoch=0-step=2.ckpt", holding: false);
        options.Callbacks.Add(new LambdaCallback(onTrainEpochStart: (t, _) =>
        {
            if (t.CurrentEpoch == 1) held.Hold();
        }));
        options.Callbacks.Add(new ModelCheckpoint(dirpath: folder));
        using var model = new TinyModel();
        using (var errors = new CapturedOutput())
        using (FileOperations.Use(held))
        {
            new Trainer(options).Fit(model, RandomData.Batches(2));
            StringAssert.Contains(errors.Error, "ModelCheckpoint left a checkpoint it no longer keeps in place.");
        }
        CollectionAssert.AreEquivalent(new[] { "epoch=0-step=2.ckpt", "epoch=1-step=4.ckpt" }, Directory.GetFiles(folder).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void MetricsRowsWaitWhileTheFileIsHeldAndNoneIsLost()
    {
        var logger = new CsvLogger(TempDir.Create(), flushEveryNRows: 1);
        var held = new HeldFiles(name => name == "metrics.csv");
        using (var errors = new CapturedOutput())
        using (FileOperations.Use(held))
        {
            logger.LogMetrics(new Dictionary<string, double> { ["loss"] = 1 }, 0);
            logger.LogMetrics(new Dictionary<string, double> { ["loss"] = 2 }, 1);
            StringAssert.Contains(errors.Error, "CsvLogger kept 2 rows for the next save");
            held.Release();
            logger.LogMetrics(new Dictionary<string, double> { ["loss"] = 3 }, 2);
        }
        var appending = new HeldFiles(name => name == "metrics.csv");
        using (new CapturedOutput())
        using (FileOperations.Use(appending))
        {
            logger.LogMetrics(new Dictionary<string, double> { ["loss"] = 4 }, 3);
            Assert.IsGreaterThan(0, appending.Refusals, "the append was refused");
            appending.Release();
            logger.Save();
        }
        CollectionAssert.AreEqual(new[] { "loss,step", "1,0", "2,1", "3,2", "4,3" }, File.ReadAllLines(logger.MetricsFile));
    }
}
