using System.Diagnostics;
using TorchSharp;

namespace Lightning.Bench.Gpu;

/// <summary>
/// Times the training steps after the warm-up epochs, synchronising the GPU at both ends so queued kernels are
/// counted; and refuses to time a run whose module did not land on the GPU.
/// </summary>
internal sealed class StepTimer(int warmupEpochs) : Callback
{
    private readonly Stopwatch _clock = new();
    private long _firstStep = -1;

    public long Steps { get; private set; }

    public double Seconds => _clock.Elapsed.TotalSeconds;

    public override void OnTrainStart(Trainer trainer, LightningModule module)
    {
        if (module.parameters().First().device_type != DeviceType.CUDA)
            throw new InvalidOperationException(
                "The module is not on the GPU although Accelerator = \"cuda\": this runtime does not place modules on CUDA yet (issue 5).");
    }

    public override void OnTrainEpochStart(Trainer trainer, LightningModule module)
    {
        if (trainer.CurrentEpoch != warmupEpochs) return;
        torch.cuda.synchronize();
        _firstStep = trainer.GlobalStep;
        _clock.Restart();
    }

    public override void OnTrainEnd(Trainer trainer, LightningModule module)
    {
        torch.cuda.synchronize();
        _clock.Stop();
        Steps = _firstStep < 0 ? 0 : trainer.GlobalStep - _firstStep;
    }
}
