using System.Reflection;

namespace Lightning.Cli;

/// <summary>
/// The <c>--trainer.*</c> settings: one per <see cref="TrainerOptions"/> property that can be written as text
/// (all but <c>Callbacks</c>, which are objects given in code), with the property's XML documentation as help.
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
            XmlDocs.Summary(p) ?? $"TrainerOptions.{p.Name}.")).ToList();
    }

    /// <summary>A copy of <paramref name="defaults"/> with the resolved values applied.</summary>
    public static TrainerOptions Build(TrainerOptions defaults, IReadOnlyDictionary<CliSetting, object?> values)
    {
        var options = new TrainerOptions();
        foreach (var property in typeof(TrainerOptions).GetProperties(BindingFlags.Instance | BindingFlags.Public).Where(p => p.CanWrite))
            property.SetValue(options, property.GetValue(defaults));
        foreach (var (setting, value) in values)
        {
            if (setting.Section != "trainer") continue;
            var property = Properties.Single(p => CliNames.Kebab(p.Name) == setting.Name);
            // "logger: true" keeps loggers given in code; it only switches the default logger on when there are none.
            if (value is LoggerSelection { UseDefault: true } && defaults.Logger.Loggers.Count > 0) continue;
            property.SetValue(options, value);
        }
        return options;
    }

    /// <summary>The option named by an <see cref="ArgumentException"/> from <c>TrainerOptions</c> validation, if any.</summary>
    public static string? OptionFor(string? propertyName) =>
        Properties.FirstOrDefault(p => p.Name == propertyName) is { } p ? $"--trainer.{CliNames.Kebab(p.Name)}" : null;
}
