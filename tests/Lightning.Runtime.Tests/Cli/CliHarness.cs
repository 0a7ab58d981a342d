namespace Lightning.Tests.Cli;

/// <summary>Runs <see cref="LightningCli"/> with captured output, the way a test wants to look at it.</summary>
internal static class CliHarness
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args) => RunWith(null, args);

    public static (int ExitCode, string Output, string Error) RunWith(TrainerOptions? defaults, params string[] args) => RunWith<TinyRegression>(defaults, args);

    /// <summary>Runs the command line for <typeparamref name="TModel"/> on <see cref="RandomRegressionData"/>.</summary>
    public static (int ExitCode, string Output, string Error) RunWith<TModel>(TrainerOptions? defaults, params string[] args) where TModel : LightningModule
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var settings = new LightningCliSettings { Output = output, Error = error, Seed = 7, TrainerDefaults = defaults ?? new TrainerOptions() };
        var code = LightningCli.Run<TModel, RandomRegressionData>(args, settings);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Trainer defaults for a run whose log folder a test reads: no progress bar or summary, logs under <paramref name="root"/>.</summary>
    public static TrainerOptions Quiet(string root, params Callback[] callbacks) =>
        new() { EnableProgressBar = false, EnableModelSummary = false, DefaultRootDir = root, Callbacks = [.. callbacks] };

    /// <summary>The value printed for <paramref name="key"/> (in its section) by --print-config.</summary>
    public static string ConfigValue(string printed, string section, string key)
    {
        var inSection = section.Length == 0;
        foreach (var line in printed.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (!line.StartsWith(' ')) inSection = section.Length == 0 || line == section + ":";
            var trimmed = line.Trim();
            if (inSection && trimmed.StartsWith(key + ":", StringComparison.Ordinal) && (section.Length == 0) == !line.StartsWith(' '))
                return trimmed[(key.Length + 1)..].Trim();
        }
        throw new AssertFailedException($"'{section}.{key}' is not in the printed configuration:\n{printed}");
    }
}
