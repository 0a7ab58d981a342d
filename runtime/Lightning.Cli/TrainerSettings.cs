using System.Reflection;

namespace Lightning.Cli;

/// <summary>
/// The <c>--trainer.*</c> settings: one per <see cref="TrainerOptions"/> property that can be written as text
/// (all but <c>Callbacks</c> and <c>Logger</c>, chosen by class as <see cref="CliClassList"/>s), with the property's XML documentation as help.
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

    /// <summary>
    /// A copy of <paramref name="defaults"/> with the resolved values applied, <paramref name="extraCallbacks"/> added, and the
    /// loggers of <paramref name="loggers"/> (a logger's save_dir, unless given, is the root folder).
    /// </summary>
    public static TrainerOptions Build(TrainerOptions defaults, IReadOnlyDictionary<CliSetting, object?> values, IEnumerable<Callback> extraCallbacks,
        CliClassList loggers)
    {
        var options = new TrainerOptions();
        foreach (var property in typeof(TrainerOptions).GetProperties(BindingFlags.Instance | BindingFlags.Public).Where(p => p.CanWrite))
            property.SetValue(options, property.GetValue(defaults));
        foreach (var (setting, value) in values)
        {
            if (setting.Section == "trainer") Properties.Single(p => CliNames.Kebab(p.Name) == setting.Name).SetValue(options, value);
        }
        // Loggers write under the root folder, known once every other option is set. "true" keeps loggers given in
        // code; it only switches the default logger on when there are none.
        var root = options.DefaultRootDir ?? Directory.GetCurrentDirectory();
        options.Logger = loggers.Items.Count > 0 ? loggers.Items.Select(l => (Logger)l.Create(root)!).ToArray()
            : !loggers.SwitchedOn ? false
            : defaults.Logger.Loggers.Count > 0 ? defaults.Logger : true;
        // A list of its own, so that what the CLI adds does not change the defaults the caller gave.
        options.Callbacks = [.. options.Callbacks, .. extraCallbacks];
        return options;
    }
}
