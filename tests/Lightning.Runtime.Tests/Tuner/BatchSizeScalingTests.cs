using System.Runtime.InteropServices;
using Lightning.Tests.Support;

namespace Lightning.Tests.Tuner;

/// <summary>Batch-size scaling finds a known memory limit in both modes and leaves the module as it was.</summary>
[TestClass]
public sealed class BatchSizeScalingTests
{
    [TestMethod]
    [DataRow(BatchSizeScalingMode.Power, 64, DisplayName = "power keeps the last doubling that fitted")]
    [DataRow(BatchSizeScalingMode.BinSearch, 100, DisplayName = "binsearch narrows down to the limit")]
    public void TheSearchFindsTheLimitACallerGives(BatchSizeScalingMode mode, int expected)
    {
        using var model = new LinearRegression(rows: 1024);
        var weights = model.Snapshot();
        var tried = new List<int>();

        var size = new Lightning.Tuner(LinearRegression.QuietTrainer(maxSteps: 2)).ScaleBatchSize(model, mode: mode, failsAt: s =>
        {
            tried.Add(s);
            return s > 100;
        });

        Assert.AreEqual(expected, size);
        Assert.AreEqual(expected, model.BatchSize, "the size found is set on BatchSize");
        Assert.AreEqual(2, tried[0], "the search starts at initVal");
        var after = model.Snapshot();
        for (var i = 0; i < weights.Count; i++) Assert.IsTrue(weights[i].equal(after[i]).all().item<bool>(), $"parameter {i} is as it was");
        Assert.IsNull(model.Trainer, "the module is attached to no trainer again");
    }

    [TestMethod]
    public void LibTorchsOutOfMemoryErrorEndsTheGrowth()
    {
        using var model = new LinearRegression(rows: 1024) { MemoryLimit = 24 };

        var size = new Lightning.Tuner(LinearRegression.QuietTrainer(maxSteps: 2)).ScaleBatchSize(model, stepsPerTrial: 1);

        Assert.AreEqual(16, size);
        CollectionAssert.AreEqual(new long[] { 2, 4, 8, 16, 32 }, model.BatchRows, "one step per trial, the failing one included");
    }

    [TestMethod]
    [DataRow(BatchSizeScalingMode.Power)]
    [DataRow(BatchSizeScalingMode.BinSearch)]
    public void GrowthStopsWhenOneBatchHoldsAllTheData(BatchSizeScalingMode mode)
    {
        using var model = new LinearRegression(rows: 200);

        Assert.AreEqual(256, new Lightning.Tuner(LinearRegression.QuietTrainer(maxSteps: 2)).ScaleBatchSize(model, mode: mode, stepsPerTrial: 1));
        CollectionAssert.AreEqual(new long[] { 2, 4, 8, 16, 32, 64, 128, 200 }, model.BatchRows, "no trial after the one whose batch held all 200 rows");
    }

    [TestMethod]
    public void MaxTrialsBoundsTheGrowth()
    {
        using var model = new LinearRegression(rows: 1024);

        Assert.AreEqual(16, new Lightning.Tuner(LinearRegression.QuietTrainer(maxSteps: 2)).ScaleBatchSize(model, maxTrials: 4, stepsPerTrial: 1));
    }

    [TestMethod]
    public void AnotherErrorPropagatesAndTheSizeIsPutBack()
    {
        using var model = new LinearRegression(rows: 1024);

        Assert.ThrowsExactly<ArgumentException>(() =>
            new Lightning.Tuner(LinearRegression.QuietTrainer(maxSteps: 2)).ScaleBatchSize(model, failsAt: s => s > 8 ? throw new ArgumentException("not memory") : false));

        Assert.AreEqual(256, model.BatchSize);
    }

    [TestMethod]
    public void WhenNothingFitsTheErrorSaysSo()
    {
        using var model = new LinearRegression();

        var error = Assert.ThrowsExactly<TunerException>(() => new Lightning.Tuner(LinearRegression.QuietTrainer(maxSteps: 2)).ScaleBatchSize(model, failsAt: _ => true));

        StringAssert.Contains(error.Message, "batch size 1");
        Assert.AreEqual(256, model.BatchSize);
    }

    [TestMethod]
    public void TheCallbackFitsWithTheSizeFound()
    {
        using var model = new LinearRegression(rows: 1024);
        var finder = new BatchSizeFinder(stepsPerTrial: 1, failsAt: s => s > 100);
        var trainer = LinearRegression.QuietTrainer(maxSteps: 2, finder);

        trainer.Fit(model);

        Assert.AreEqual(64, finder.OptimalBatchSize);
        CollectionAssert.AreEqual(new long[] { 64, 64 }, model.BatchRows.TakeLast(2).ToList(), "the fit's batches have the size found");
        Assert.AreEqual(2, trainer.GlobalStep);
    }

    [TestMethod]
    public void OnlyOutOfMemoryErrorsCountAsNotFitting()
    {
        Assert.IsTrue(BatchSizeSearch.IsOutOfMemory(new ExternalException("CUDA out of memory. Tried to allocate 20.00 MiB")));
        Assert.IsTrue(BatchSizeSearch.IsOutOfMemory(new InvalidOperationException("wrapped", new ExternalException("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory"))));
        Assert.IsFalse(BatchSizeSearch.IsOutOfMemory(new ExternalException("mat1 and mat2 shapes cannot be multiplied")));
    }
}
