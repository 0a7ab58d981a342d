using System.Reflection;

namespace Lightning.Cli;

/// <summary>
/// The public settable number properties of the module and the data module, the kind the tuner sets (its
/// <c>LearningRate</c>, <c>Lr</c> or <c>BatchSize</c>), read before a search. The tuner puts everything else back as it
/// was, so <see cref="Changed"/> names what the search set, whatever property name it chose.
/// </summary>
internal sealed class TunableProperties
{
    private readonly List<(string Section, object Owner, PropertyInfo Property, object? Value)> _before;

    private TunableProperties(List<(string, object, PropertyInfo, object?)> before) => _before = before;

    /// <summary>Reads the properties now; <c>model</c> and <c>data</c> are the sections of the CLI settings each owner is built from.</summary>
    public static TunableProperties Read(LightningModule model, LightningDataModule? data) =>
        new([.. Of("model", model), .. data is null ? [] : Of("data", data)]);

    /// <summary>The properties whose value differs from the one read, with the section of their owner.</summary>
    public IReadOnlyList<(string Section, PropertyInfo Property, object? Before, object? After)> Changed() =>
        _before.Select(p => (p.Section, p.Property, Before: p.Value, After: p.Property.GetValue(p.Owner)))
            .Where(p => !Equals(p.Before, p.After)).ToList();

    private static IEnumerable<(string, object, PropertyInfo, object?)> Of(string section, object owner) =>
        owner.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p is { GetMethod.IsPublic: true, SetMethod.IsPublic: true } && p.GetIndexParameters().Length == 0 && IsNumber(p.PropertyType))
            .Select(p => (section, owner, p, p.GetValue(owner)));

    private static bool IsNumber(Type type) =>
        Type.GetTypeCode(Nullable.GetUnderlyingType(type) ?? type) is >= TypeCode.SByte and <= TypeCode.Decimal;
}
