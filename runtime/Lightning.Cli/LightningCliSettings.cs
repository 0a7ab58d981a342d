namespace Lightning;

/// <summary>
/// How <see cref="LightningCli"/> sets up a run before the command line and config files are applied
/// (LightningCLI's <c>trainer_defaults</c>, <c>seed_everything_default</c> and friends).
/// </summary>
public sealed class LightningCliSettings
{
    /// <summary>
    /// The trainer options the <c>--trainer.*</c> options start from, for example a smaller <c>MaxEpochs</c>
    /// or the callbacks of the run (those <c>--trainer.callbacks</c> adds come after them). Default: <c>new TrainerOptions()</c>.
    /// </summary>
    public TrainerOptions TrainerDefaults { get; init; } = new();

    /// <summary>
    /// The default of <c>--seed</c>. <see langword="null"/> (default) does as Lightning does: a random seed is
    /// drawn and used, and <c>--print-config</c> shows it so the run can be repeated.
    /// </summary>
    public long? Seed { get; init; }

    /// <summary>The description shown by <c>--help</c>; default: one naming the module and data module.</summary>
    public string? Description { get; init; }

    /// <summary>Where help, <c>--print-config</c> and the CLI's messages go; default: <see cref="Output.Out"/> (the console unless redirected).</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Where errors about the command line or config files go; default: <see cref="Output.Error"/> (the console's error stream unless redirected).</summary>
    public TextWriter? Error { get; init; }
}
