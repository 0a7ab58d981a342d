using System.Globalization;
using System.Runtime.InteropServices;

namespace Lightning;

/// <summary>
/// Lightning's batch-size scaling: trial fits of <c>stepsPerTrial</c> training steps (and as many validation batches)
/// at growing batch sizes until one runs out of memory or holds all the training data, searched as
/// <see cref="BatchSizeScalingMode"/> says; then
/// everything is put back and the size found set on the module or data module. <see cref="Tuner"/> and
/// <see cref="BatchSizeFinder"/> both run it.
/// </summary>
internal static class BatchSizeSearch
{
    public static int? Run(Trainer outer, LightningModule model, LightningDataModule? dataModule, Action<Trainer> fit,
        BatchSizeScalingMode mode, int stepsPerTrial, int initVal, int maxTrials, string batchArgName, Func<int, bool>? failsAt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerTrial, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(initVal, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrials, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(batchArgName);
        if (outer.FastDev)
        {
            Output.Info(outer, "Skipping the batch size finder since FastDevRun is enabled.");
            return null;
        }
        var setting = TunedSetting.Find(model, dataModule, [batchArgName]) ?? throw new TunerException(
            $"The batch size finder sets the size on a public settable int property named '{batchArgName}' of {model.GetType().Name} or the data module, " +
            "which the data loaders read. Add one, e.g. `public int BatchSize { get; set; } = 32;` used in TrainDataLoader(), or pass batchArgName to name yours.");
        var original = Convert.ToDouble(setting.Value, CultureInfo.InvariantCulture);

        var found = original;
        using (var snapshot = new TunerSnapshot(model, dataModule))
        {
            try
            {
                BatchSizeTrial Try(int size)
                {
                    setting.Set(size);
                    if (failsAt?.Invoke(size) == true) return BatchSizeTrial.OutOfMemory;
                    var search = SearchRun.Trainer(outer, [], options =>
                    {
                        options.MaxSteps = stepsPerTrial;
                        options.LimitTrainBatches = CountOrFraction.All;
                        options.LimitValBatches = stepsPerTrial;
                        options.NumSanityValSteps = 0;
                    }, "batch size finder");
                    try
                    {
                        fit(search);
                        return search.NumTrainingBatches is <= 1 ? BatchSizeTrial.FittedAllData : BatchSizeTrial.Fitted;
                    }
                    catch (Exception e) when (IsOutOfMemory(e))
                    {
                        GC.Collect();
                        GC.WaitForPendingFinalizers();
                        return BatchSizeTrial.OutOfMemory;
                    }
                }
                found = mode == BatchSizeScalingMode.Power ? Power(outer, Try, initVal, maxTrials) : BinarySearch(outer, Try, initVal, maxTrials);
            }
            finally
            {
                setting.Set(found);
                snapshot.Restore();
            }
        }
        Output.Info(outer, $"Finished the batch size finder; the run continues with batch size {found}.");
        return (int)found;
    }

    /// <summary>Whether an exception says memory ran out: .NET's, LibTorch's CUDA or CPU allocator, or cuDNN's (Lightning's <c>is_oom_error</c>).</summary>
    internal static bool IsOutOfMemory(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutOfMemoryException) return true;
            if (e is ExternalException &&
                (e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) ||
                 e.Message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase) ||
                 e.Message.Contains("CUDNN_STATUS_NOT_SUPPORTED", StringComparison.Ordinal)))
                return true;
        }
        return false;
    }

    // Doubles while trials fit; the first failure after a success ends the search at the last size that fitted.
    private static int Power(Trainer outer, Func<int, BatchSizeTrial> attempt, int size, int maxTrials)
    {
        int? lastFit = null;
        for (var trial = 0; trial < maxTrials; trial++)
        {
            var result = attempt(size);
            if (result != BatchSizeTrial.OutOfMemory)
            {
                lastFit = size;
                if (result == BatchSizeTrial.FittedAllData || trial + 1 == maxTrials || size > int.MaxValue / 2) break;
                Output.Info(outer, $"Batch size {size} succeeded, trying batch size {size * 2}");
                size *= 2;
                continue;
            }
            if (lastFit is not null) break;
            if (size == 1) throw NothingFits();
            Output.Info(outer, $"Batch size {size} failed, trying batch size {size / 2}");
            size /= 2;
        }
        return lastFit ?? size;
    }

    // Doubles while trials fit, then bisects between the last size that fitted and the smallest that did not.
    private static int BinarySearch(Trainer outer, Func<int, BatchSizeTrial> attempt, int size, int maxTrials)
    {
        var low = 1;
        int? high = null;
        var succeeded = 0;
        while (true)
        {
            var result = attempt(size);
            if (result != BatchSizeTrial.OutOfMemory)
            {
                if (++succeeded > maxTrials || result == BatchSizeTrial.FittedAllData) return size;
                low = size;
                if (high is { } h)
                {
                    if (h - low <= 1) return size;
                    size = (h + low) / 2;
                }
                else
                {
                    if (size > int.MaxValue / 2) return size;
                    size *= 2;
                }
                Output.Info(outer, $"Batch size {low} succeeded, trying batch size {size}");
                continue;
            }
            if (size == 1) throw NothingFits();
            high = size;
            size = (size + low) / 2;
            Output.Info(outer, $"Batch size {high} failed, trying batch size {size}");
            if (high - low <= 1) return size;
        }
    }

    private static TunerException NothingFits() => new(
        "The batch size finder ran out of memory with batch size 1, so no batch size fits. Use a smaller model, a lower precision " +
        "(Precision = \"bf16-mixed\"), or a device with more memory.");
}
