using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>The file loggers write what Lightning's write, where Lightning writes it.</summary>
[TestClass]
public sealed class LoggerTests
{
    private static Trainer FitDigits(TrainerOptions options)
    {
        using var model = new DigitsClassifier(hiddenSize: 8);
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(4, features: 64, classes: 10), RandomData.Batches(2, features: 64, classes: 10, seed: 1));
        return trainer;
    }

    [TestMethod]
    public void DefaultLoggerIsCsvUnderLightningLogsWithIncreasingVersions()
    {
        var options = Quiet.Options(maxEpochs: 2);
        options.Logger = true;
        options.LogEveryNSteps = 2;
        var first = FitDigits(options);
        var second = FitDigits(new TrainerOptions
        {
            MaxEpochs = 1, DefaultRootDir = options.DefaultRootDir, EnableProgressBar = false, EnableModelSummary = false, EnableCheckpointing = false,
        });

        var logDir = Path.Combine(options.DefaultRootDir!, "lightning_logs", "version_0");
        Assert.AreEqual(logDir, first.LogDir);
        Assert.AreEqual(Path.Combine(options.DefaultRootDir!, "lightning_logs", "version_1"), second.LogDir);

        var lines = File.ReadAllLines(Path.Combine(logDir, "metrics.csv"));
        var header = lines[0].Split(',');
        CollectionAssert.AreEquivalent(new[] { "epoch", "step", "train_loss", "val_acc", "val_loss" }, header);
        var rows = lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
        CollectionAssert.AreEqual(new[] { "2", "4", "6", "8" }, rows.Where(r => r["train_loss"] != "").Select(r => r["step"]).ToList());
        CollectionAssert.AreEqual(new[] { "4", "8" }, rows.Where(r => r["val_loss"] != "").Select(r => r["step"]).ToList());
        CollectionAssert.AreEqual(new[] { "0", "1" }, rows.Where(r => r["val_loss"] != "").Select(r => r["epoch"]).ToList());

        var hparams = File.ReadAllText(Path.Combine(logDir, "hparams.yaml"));
        StringAssert.Contains(hparams, "hiddenSize: 8");
        StringAssert.Contains(hparams, "learningRate: 0.01");
    }

    [TestMethod]
    public void CsvLoggerFlushesPeriodicallyAndAddsColumnsAsTheyAppear()
    {
        var root = TempDir.Create();
        var logger = new CsvLogger(root, name: "exp", version: 3, flushEveryNRows: 2);
        logger.LogMetrics(new Dictionary<string, double> { ["a"] = 1 }, 1);
        Assert.IsFalse(File.Exists(logger.MetricsFile), "buffered until the flush interval");
        logger.LogMetrics(new Dictionary<string, double> { ["a"] = 2 }, 2);
        logger.LogMetrics(new Dictionary<string, double> { ["b"] = 0.5 }, 3);
        logger.Finish("success");
        Assert.AreEqual(Path.Combine(root, "exp", "version_3", "metrics.csv"), logger.MetricsFile);
        CollectionAssert.AreEqual(new[] { "a,b,step", "1,,1", "2,,2", ",0.5,3" }, File.ReadAllLines(logger.MetricsFile));
    }

    [TestMethod]
    public void ACsvLoggerContinuingAKilledRunKeepsItsRowsUpToTheCheckpointAndAddsColumns()
    {
        var root = TempDir.Create();
        var killed = new CsvLogger(root);
        killed.LogMetrics(new Dictionary<string, double> { ["val_loss"] = 0.5 }, 2);
        killed.LogMetrics(new Dictionary<string, double> { ["val_loss"] = 0.4 }, 4);
        killed.LogMetrics(new Dictionary<string, double> { ["val_loss"] = 0.3 }, 6);
        killed.Save();

        var resumed = new CsvLogger(root);
        resumed.ContinueRunOf(Path.Combine(root, "lightning_logs", "version_0", "checkpoints", "last.ckpt"));
        resumed.ResumedAt(4);
        resumed.LogMetrics(new Dictionary<string, double> { ["lr"] = 0.1 }, 5);
        resumed.LogMetrics(new Dictionary<string, double> { ["val_loss"] = 0.35 }, 6);
        resumed.Finish("success");

        Assert.AreEqual(killed.MetricsFile, resumed.MetricsFile);
        CollectionAssert.AreEqual(new[] { "lr,step,val_loss", ",2,0.5", ",4,0.4", "0.1,5,", ",6,0.35" }, File.ReadAllLines(resumed.MetricsFile),
            "the rows after the checkpoint's step are the resumed run's, and the old column stays");
    }

    [TestMethod]
    public void RunsStartingTogetherInOneFolderEachClaimTheirOwnVersion()
    {
        var root = TempDir.Create();
        Directory.CreateDirectory(Path.Combine(root, "lightning_logs", "version_2"));
        const int runs = 12;
        using var start = new Barrier(runs);
        var versions = new string[runs];
        var threads = Enumerable.Range(0, runs).Select(i => new Thread(() =>
        {
            var logger = i % 2 == 0 ? new CsvLogger(root) : (FileLogger)new TensorBoardLogger(root);
            start.SignalAndWait();
            versions[i] = logger.Version;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        CollectionAssert.AreEquivalent(Enumerable.Range(3, runs).Select(v => $"version_{v}").ToList(), versions,
            "each run has its own version, after the highest existing one");
        Assert.AreEqual(runs + 1, Directory.GetDirectories(Path.Combine(root, "lightning_logs")).Length, "each claimed version's folder exists");
    }

    [TestMethod]
    public void TensorBoardLoggerWritesEventFiles()
    {
        var root = TempDir.Create();
        var options = Quiet.Options();
        options.Logger = new TensorBoardLogger(root);
        options.LogEveryNSteps = 1;
        var trainer = FitDigits(options);
        var logDir = Path.Combine(root, "lightning_logs", "version_0");
        Assert.AreEqual(logDir, trainer.LogDir);
        var events = Directory.GetFiles(logDir, "events.out.tfevents.*");
        Assert.AreEqual(1, events.Length, string.Join(", ", Directory.GetFileSystemEntries(logDir)));
        Assert.IsTrue(new FileInfo(events[0]).Length > 100, "the event file holds the logged scalars");
        Assert.IsTrue(File.Exists(Path.Combine(logDir, "hparams.yaml")));
    }

    [TestMethod]
    public void SeveralLoggersAllReceiveMetrics()
    {
        var a = new RecordingLogger();
        var b = new RecordingLogger();
        var options = Quiet.Options();
        options.Logger = new Logger[] { a, b };
        var trainer = FitDigits(options);
        Assert.AreSame(a, trainer.Logger);
        Assert.AreEqual(a.Rows.Count, b.Rows.Count);
        Assert.IsTrue(a.Rows.Count > 0);
    }
}
