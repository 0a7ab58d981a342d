using TorchSharp;

namespace Lightning;

/// <summary>
/// Logs the device's statistics around every training, validation and test batch, at the trainer's
/// <c>LogEveryNSteps</c> (Lightning's <c>DeviceStatsMonitor</c>), under
/// <c>DeviceStatsMonitor.on_train_batch_start/&lt;stat&gt;</c> and the like. On the CPU, or with
/// <c>cpuStats: true</c>: Lightning's <c>cpu_percent</c> (all cores, since the previous reading), <c>cpu_vm_percent</c>
/// and <c>cpu_swap_percent</c> (from <c>/proc</c> on Linux), and this process's <c>process_rss_bytes</c> and
/// <c>managed_heap_bytes</c>. On CUDA: the GPU's <c>memory.used (MB)</c>, <c>memory.free (MB)</c> and
/// <c>utilization.gpu (%)</c> from the NVIDIA driver's NVML. It needs a logger.
/// </summary>
public sealed class DeviceStatsMonitor : Callback
{
    private readonly CpuStats _cpu = new();

    /// <summary>Creates the monitor.</summary>
    /// <param name="cpuStats">
    /// Whether to log the CPU's statistics: null (default) logs them when training on the CPU, true also beside a GPU's,
    /// false never (then nothing is logged on the CPU).
    /// </param>
    public DeviceStatsMonitor(bool? cpuStats = null) => CpuStatsWanted = cpuStats;

    /// <summary>Whether CPU statistics are logged; null when training on the CPU only.</summary>
    public bool? CpuStatsWanted { get; }

    /// <inheritdoc />
    public override void Setup(Trainer trainer, LightningModule module, Stage stage)
    {
        if (stage == Stage.Fit && trainer.Loggers.Count == 0)
            throw new InvalidOperationException("DeviceStatsMonitor needs a logger, and this Trainer has none: leave TrainerOptions.Logger at its default or give one.");
    }

    /// <inheritdoc />
    public override void OnTrainBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx) => Log(trainer, "on_train_batch_start");

    /// <inheritdoc />
    public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx) => Log(trainer, "on_train_batch_end");

    /// <inheritdoc />
    public override void OnValidationBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) => Log(trainer, "on_validation_batch_start");

    /// <inheritdoc />
    public override void OnValidationBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx) => Log(trainer, "on_validation_batch_end");

    /// <inheritdoc />
    public override void OnTestBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) => Log(trainer, "on_test_batch_start");

    /// <inheritdoc />
    public override void OnTestBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx) => Log(trainer, "on_test_batch_end");

    private void Log(Trainer trainer, string hook)
    {
        if (trainer.Loggers.Count == 0 || !((trainer.GlobalStep + 1) % trainer.Options.LogEveryNSteps == 0 || trainer.ShouldStop)) return;
        var device = trainer.RootDevice;
        var onCpu = device.type == DeviceType.CPU;
        if (onCpu && CpuStatsWanted == false) return;
        var stats = new Dictionary<string, double>(StringComparer.Ordinal);
        if (device.type == DeviceType.CUDA) NvmlStats.Read(device.index < 0 ? 0 : device.index, stats);
        if (onCpu || CpuStatsWanted == true) _cpu.Read(stats);
        var prefix = $"{nameof(DeviceStatsMonitor)}.{hook}/";
        trainer.Logging.LogToLoggers(stats.ToDictionary(e => prefix + e.Key, e => e.Value, StringComparer.Ordinal), trainer.GlobalStep);
    }
}
