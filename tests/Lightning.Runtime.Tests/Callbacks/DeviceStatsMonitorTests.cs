using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>DeviceStatsMonitor on the CPU.</summary>
[TestClass]
public sealed class DeviceStatsMonitorTests
{
    [TestMethod]
    public void TheCpuStatsAreLoggedAroundEachBatchAtTheLoggingInterval()
    {
        var logger = new RecordingLogger();
        var options = Quiet.Options(1);
        options.Logger = logger;
        options.LogEveryNSteps = 2;
        options.Callbacks.Add(new DeviceStatsMonitor());
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(4), RandomData.Batches(1, seed: 1));

        foreach (var hook in new[] { "on_train_batch_start", "on_train_batch_end" })
        {
            var prefix = $"DeviceStatsMonitor.{hook}/";
            foreach (var stat in new[] { "cpu_percent", "cpu_vm_percent", "cpu_swap_percent" })
            {
                var series = logger.Series(prefix + stat);
                Assert.IsTrue(series.Count > 0 && series.All(s => s.Value is >= 0 and <= 100), $"{prefix}{stat}: {string.Join(", ", series)}");
            }
            var rss = logger.Series(prefix + "process_rss_bytes");
            Assert.IsTrue(rss.All(s => s.Value > 1e6), "a .NET process with LibTorch holds more than a megabyte");
            Assert.IsTrue(logger.Series(prefix + "managed_heap_bytes").All(s => s.Value > 0));
        }
        // Batch starts log before steps 1 and 3 (every second step), batch ends after steps 2 and 4 (the counter has moved on).
        var starts = logger.Series("DeviceStatsMonitor.on_train_batch_start/cpu_percent").Select(s => s.Step).ToArray();
        CollectionAssert.AreEqual(new long[] { 1, 3 }, starts, string.Join(", ", starts));
        Assert.IsFalse(logger.Rows.Any(r => r.Metrics.Keys.Any(k => k.Contains("memory.used", StringComparison.Ordinal))), "no GPU stats on the CPU");
    }

    [TestMethod]
    public void CpuStatsOffLogsNothingOnTheCpuAndALoggerIsNeeded()
    {
        var logger = new RecordingLogger();
        var options = Quiet.Options(1);
        options.Logger = logger;
        options.LogEveryNSteps = 1;
        options.Callbacks.Add(new DeviceStatsMonitor(cpuStats: false));
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(2));
        Assert.IsFalse(logger.Rows.Any(r => r.Metrics.Keys.Any(k => k.StartsWith("DeviceStatsMonitor", StringComparison.Ordinal))));

        var without = Quiet.Options(1);
        without.Callbacks.Add(new DeviceStatsMonitor());
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(without).Fit(model, RandomData.Batches(1))).Message, "needs a logger");
    }
}
