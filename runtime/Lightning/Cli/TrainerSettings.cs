using System.Reflection;

namespace Lightning.Cli;

/// <summary>
/// The <c>--trainer.*</c> settings: one per <see cref="TrainerOptions"/> property that can be written as text
/// (all but <c>Callbacks</c>, chosen by class as <see cref="CliClassChoice"/>s), with the property's XML documentation as help.
/// </summary>
internal static class TrainerSettings
{
    private static readonly PropertyInfo[] Properties = typeof(TrainerOptions)
        .GetProperties(BindingFlags.Instance | BindingFlags.Public)
        .Where(p => p.CanRead && p.CanWrite && CliValue.IsSupported(p.PropertyType))
        .ToArray();

    /// <summary>The settings, with the values of <paramref name="defaults"/> as defaults.</summary>
    public static IReadOnlyList<CliSetting> From(TrainerOptions defaults)
    {
        var nullability = new NullabilityInfoContext();
        return Properties.Select(p => new CliSetting("trainer", CliNames.Kebab(p.Name), p.PropertyType,
            nullability.Create(p).WriteState != NullabilityState.NotNull, p.GetValue(defaults),
            XmlDocs.Summary(p) ?? $"TrainerOptions.{p.Name}.", CodeName: p.Name)).ToList();
    }

    /// <summary>A copy of <paramref name="defaults"/> with the resolved values applied and <paramref name="extraCallbacks"/> added.</summary>
    public static TrainerOptions Build(TrainerOptions defaults, IReadOnlyDictionary<CliSetting, object?> values, IEnumerable<Callback> extraCallbacks)
    {
        var options = new TrainerOptions();
        foreach (var property in typeof(TrainerOptions).GetProperties(BindingFlags.Instance | BindingFlags.Public).Where(p => p.CanWrite))
            property.SetValue(options, property.GetValue(defaults));
        CliLogger? logger = null;
        foreach (var (setting, value) in values)
        {
            if (setting.Section != "trainer") continue;
            if (value is CliLogger chosen) logger = chosen;
            else Properties.Single(p => CliNames.Kebab(p.Name) == setting.Name).SetValue(options, value);
        }
        // Named loggers write under the root folder, known once every other option is set. "true" keeps loggers given
        // in code; it only switches the default logger on when there are none.
        var root = options.DefaultRootDir ?? Directory.GetCurrentDirectory();
        options.Logger = logger switch
        {
            CliLogger.False => false,
            CliLogger.True => defaults.Logger.Loggers.Count > 0 ? defaults.Logger : true,
            CliLogger.Csv => new CsvLogger(root),
            CliLogger.Tensorboard => new TensorBoardLogger(root),
            _ => options.Logger,
        };
        // A list of its own, so that what the CLI adds does not change the defaults the caller gave.
        options.Callbacks = [.. options.Callbacks, .. extraCallbacks];
        return options;
    }
}
