using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>ThroughputMonitor's keys, counts and rates.</summary>
[TestClass]
public sealed class ThroughputMonitorTests
{
    private static long BatchSize(object batch) => (((Tensor X, Tensor Y))batch).X.shape[0];

    [TestMethod]
    public void TrainingLogsCountsAndRatesOverTheWindow()
    {
        var logger = new RecordingLogger();
        var options = Quiet.Options(1);
        options.Logger = logger;
        options.LogEveryNSteps = 1;
        options.Callbacks.Add(new ThroughputMonitor(BatchSize, windowSize: 3));
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(6, size: 5));

        CollectionAssert.AreEqual(new double[] { 1, 2, 3, 4, 5, 6 }, logger.Series("train/batches").Select(s => s.Value).ToArray());
        CollectionAssert.AreEqual(new double[] { 5, 10, 15, 20, 25, 30 }, logger.Series("train/samples").Select(s => s.Value).ToArray());
        CollectionAssert.AreEqual(new long[] { 1, 2, 3, 4, 5, 6 }, logger.Series("train/samples").Select(s => s.Step).ToArray(), "at each step");
        var times = logger.Series("train/time").Select(s => s.Value).ToList();
        Assert.IsTrue(times[0] > 0 && times.Zip(times.Skip(1)).All(p => p.Second > p.First), string.Join(", ", times));

        var batchRates = logger.Series("train/device/batches_per_sec");
        var sampleRates = logger.Series("train/device/samples_per_sec");
        CollectionAssert.AreEqual(new long[] { 3, 4, 5, 6 }, batchRates.Select(s => s.Step).ToArray(), "once the window of 3 is full");
        for (var i = 0; i < batchRates.Count; i++)
        {
            Assert.IsTrue(batchRates[i].Value > 0);
            Assert.AreEqual(5 * batchRates[i].Value, sampleRates[i].Value, 1e-9 * sampleRates[i].Value, "five samples a batch");
            // Two batches over the window's time span.
            Assert.AreEqual(2 / (times[i + 2] - times[i]), batchRates[i].Value, 1e-9 * batchRates[i].Value);
        }
        Assert.IsFalse(logger.Rows.Any(r => r.Metrics.Keys.Any(k => k.EndsWith("/batches_per_sec", StringComparison.Ordinal) && !k.Contains("device", StringComparison.Ordinal))),
            "one process: no all-process rates");
    }

    [TestMethod]
    public void TestingLogsUnderItsStageWithTheLengths()
    {
        var logger = new RecordingLogger();
        var options = Quiet.Options();
        options.Logger = logger;
        options.Callbacks.Add(new ThroughputMonitor(BatchSize, lengthFn: batch => 3 * BatchSize(batch), windowSize: 2));
        using var model = new TinyModel();
        new Trainer(options).Test(model, RandomData.Batches(3), verbose: false);
        CollectionAssert.AreEqual(new double[] { 4, 8, 12 }, logger.Series("test/samples").Select(s => s.Value).ToArray());
        CollectionAssert.AreEqual(new double[] { 12, 24, 36 }, logger.Series("test/lengths").Select(s => s.Value).ToArray());
        Assert.AreEqual(2, logger.Series("test/device/samples_per_sec").Count);
        Assert.IsFalse(logger.Rows.Any(r => r.Metrics.Keys.Any(k => k.StartsWith("train/", StringComparison.Ordinal))));
    }

    [TestMethod]
    public void ItNeedsALoggerAndAWindowOfTwo()
    {
        var options = Quiet.Options();
        options.Callbacks.Add(new ThroughputMonitor(BatchSize));
        using var model = new TinyModel();
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(options).Fit(model, RandomData.Batches(1))).Message, "needs a logger");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ThroughputMonitor(BatchSize, windowSize: 1)).Message, "at least 2");
    }
}
