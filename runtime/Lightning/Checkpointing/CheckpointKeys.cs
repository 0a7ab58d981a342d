namespace Lightning.Checkpointing;

/// <summary>
/// The top-level keys of a checkpoint file. Those PyTorch Lightning also writes keep its names, so Python code
/// reading <c>ckpt["state_dict"]</c>, <c>ckpt["epoch"]</c> or <c>ckpt["global_step"]</c> works on both.
/// </summary>
internal static class CheckpointKeys
{
    /// <summary>The value of <see cref="Format"/> in our files.</summary>
    public const string FormatName = "lightning-dotnet";

    /// <summary>The layout version this build writes and the newest it reads.</summary>
    public const long CurrentVersion = 1;

    public const string Format = "format";
    public const string FormatVersion = "format_version";
    public const string PackageVersion = "lightning_dotnet_version";
    public const string PyTorchLightningVersion = "pytorch-lightning_version";
    public const string Epoch = "epoch";
    public const string GlobalStep = "global_step";
    public const string StateDict = "state_dict";
    public const string Loops = "loops";
    public const string WeightsOnly = "weights_only";
    public const string OptimizerStates = "optimizer_states";
    public const string LrSchedulers = "lr_schedulers";
    public const string Precision = "precision_plugin";
    public const string Callbacks = "callbacks";
    public const string HyperParameters = "hyper_parameters";
    public const string DataModule = "datamodule";
    public const string RngStates = "rng_states";
    public const string Metrics = "metrics";
}
