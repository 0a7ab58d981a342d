using System.Globalization;
using System.Text.RegularExpressions;
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
    public void TensorBoardEventFilesHoldTheMetricsOfMetricsCsvWithTheirTimesAndTheHyperparameters()
    {
        var root = TempDir.Create();
        var options = Quiet.Options(maxEpochs: 2);
        var csv = new CsvLogger(root);
        var tensorBoard = new TensorBoardLogger(root);
        options.Logger = new Logger[] { csv, tensorBoard };
        options.LogEveryNSteps = 1;
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        FitDigits(options);
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 + 0.001;

        var files = Directory.GetFiles(tensorBoard.LogDir, "events.out.tfevents.*");
        Assert.AreEqual(1, files.Length, string.Join(", ", Directory.GetFileSystemEntries(tensorBoard.LogDir)));
        var name = Regex.Match(Path.GetFileName(files[0]), @"^events\.out\.tfevents\.(\d{10})\.(.+)\.(\d+)\.(\d+)$");
        Assert.IsTrue(name.Success, files[0]);
        Assert.IsTrue(long.Parse(name.Groups[1].Value) >= (long)before && long.Parse(name.Groups[1].Value) <= after, "the name holds Unix seconds");
        Assert.AreEqual(System.Net.Dns.GetHostName(), name.Groups[2].Value);
        Assert.AreEqual(Environment.ProcessId.ToString(), name.Groups[3].Value);

        var events = TensorBoardEventReader.Read(files[0]);
        Assert.AreEqual("brain.Event:2", events[0].FileVersion);
        foreach (var e in events) Assert.IsTrue(e.WallTime >= before && e.WallTime <= after, $"wall_time {e.WallTime} is Unix seconds within the run");
        CollectionAssert.AreEqual(events.Select(e => e.WallTime).Order().ToList(), events.Select(e => e.WallTime).ToList(), "times only go forward");
        Assert.IsTrue(events.Any(e => e.WallTime != Math.Floor(e.WallTime)), "times keep their fraction of a second");

        var scalars = events.Where(e => e.Values.Count > 0 && e.Values.All(v => v.Simple is not null))
            .Select(e => (e.Step, Values: e.Values.ToDictionary(v => v.Tag, v => v.Simple!.Value))).ToList();
        Assert.AreEqual((0L, -1f), (scalars[0].Step, scalars[0].Values["hp_metric"]), "Lightning's default hp_metric at step 0");
        var lines = File.ReadAllLines(csv.MetricsFile);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => header.Zip(l.Split(',')).Where(p => p.Second != "").ToDictionary(p => p.First, p => double.Parse(p.Second, CultureInfo.InvariantCulture))).ToList();
        Assert.IsTrue(rows.Count > 8);
        Assert.AreEqual(rows.Count, scalars.Count - 1);
        foreach (var (row, scalar) in rows.Zip(scalars.Skip(1)))
        {
            Assert.AreEqual((long)row["step"], scalar.Step);
            CollectionAssert.AreEquivalent(row.Keys.Where(k => k != "step").ToList(), scalar.Values.Keys.ToList());
            foreach (var (tag, value) in scalar.Values) Assert.AreEqual((float)row[tag], value, tag);
        }

        var plugin = events.SelectMany(e => e.Values).Where(v => v.Plugin == "hparams").ToList();
        CollectionAssert.AreEqual(new[] { "_hparams_/experiment", "_hparams_/session_start_info", "_hparams_/session_end_info" }, plugin.Select(v => v.Tag).ToList());
        var experiment = TensorBoardEventReader.Fields(TensorBoardEventReader.Fields(plugin[0].PluginContent!).Single(f => f.Field == 2).Bytes!);
        var hparamInfos = experiment.Where(f => f.Field == 4).Select(f => TensorBoardEventReader.Fields(f.Bytes!)).ToList();
        CollectionAssert.IsSubsetOf(new[] { "hiddenSize", "learningRate" }, hparamInfos.Select(h => TensorBoardEventReader.Text(h.Single(f => f.Field == 1).Bytes!)).ToList());
        Assert.IsTrue(hparamInfos.All(h => h.Single(f => f.Field == 4).Number == 3), "numbers are FLOAT64 hyperparameters");
        var metricTag = TensorBoardEventReader.Fields(TensorBoardEventReader.Fields(experiment.Single(f => f.Field == 5).Bytes!).Single(f => f.Field == 1).Bytes!);
        Assert.AreEqual("hp_metric", TensorBoardEventReader.Text(metricTag.Single(f => f.Field == 2).Bytes!));
        var sessionStart = TensorBoardEventReader.Fields(TensorBoardEventReader.Fields(plugin[1].PluginContent!).Single(f => f.Field == 3).Bytes!);
        var hparams = sessionStart.Where(f => f.Field == 1).Select(f => TensorBoardEventReader.Fields(f.Bytes!)).ToDictionary(
            entry => TensorBoardEventReader.Text(entry.Single(f => f.Field == 1).Bytes!),
            entry => BitConverter.UInt64BitsToDouble(TensorBoardEventReader.Fields(entry.Single(f => f.Field == 2).Bytes!).Single(f => f.Field == 2).Number));
        Assert.AreEqual(8.0, hparams["hiddenSize"]);
        Assert.AreEqual(0.01, hparams["learningRate"]);
        var sessionEnd = TensorBoardEventReader.Fields(TensorBoardEventReader.Fields(plugin[2].PluginContent!).Single(f => f.Field == 4).Bytes!);
        Assert.AreEqual(1UL, sessionEnd.Single(f => f.Field == 1).Number, "STATUS_SUCCESS");
        Assert.IsTrue(File.Exists(Path.Combine(tensorBoard.LogDir, "hparams.yaml")));
    }

    [TestMethod]
    public void TensorBoardRecordsReachTheFileEveryTenRecordsWhileTheRunGoesOn()
    {
        var logger = new TensorBoardLogger(TempDir.Create(), defaultHpMetric: false);
        for (var step = 1; step <= 12; step++) logger.LogMetrics(new Dictionary<string, double> { ["loss"] = 1.0 / step }, step);

        var file = Directory.GetFiles(logger.LogDir, "events.out.tfevents.*").Single();
        using (var reading = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            var copy = Path.Combine(TempDir.Create(), "copy");
            using (var target = File.Create(copy)) reading.CopyTo(target);
            CollectionAssert.AreEqual(Enumerable.Range(1, 9).Select(s => (long)s).ToList(), TensorBoardEventReader.Read(copy).Skip(1).Select(e => e.Step).ToList(),
                "the file version and the first nine scalars are in the file before any save");
        }
        logger.Finish("success");
        Assert.AreEqual(13, TensorBoardEventReader.Read(file).Count);
    }

    [TestMethod]
    public void TensorBoardStepsGoPastInt32()
    {
        var logger = new TensorBoardLogger(TempDir.Create(), defaultHpMetric: false);
        logger.LogMetrics(new Dictionary<string, double> { ["loss"] = 0.25 }, 3_000_000_000L);
        logger.Finish("success");
        var events = TensorBoardEventReader.Read(Directory.GetFiles(logger.LogDir, "events.out.tfevents.*").Single());
        Assert.AreEqual(2, events.Count);
        Assert.AreEqual((3_000_000_000L, "loss", 0.25f), (events[1].Step, events[1].Values.Single().Tag, events[1].Values.Single().Simple));
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
