using System.Globalization;
using System.Reflection;

namespace Lightning;

/// <summary>
/// A value the tuner chooses and hands to the user's code: a public settable property (not init-only) of the module and/or the data
/// module (Lightning's <c>lightning_setattr</c>, which sets an attribute by name). A hyperparameter recorded under
/// the same name (ignoring case) is updated too, so loggers and checkpoints show the chosen value.
/// </summary>
internal sealed class TunedSetting
{
    private readonly List<(object Owner, PropertyInfo Property)> _targets;

    private TunedSetting(string name, List<(object, PropertyInfo)> targets)
    {
        Name = name;
        _targets = targets;
    }

    /// <summary>The property's name.</summary>
    public string Name { get; }

    /// <summary>
    /// Finds the first of <paramref name="names"/> that the module or the data module has as a public settable property.
    /// Returns null when none is there.
    /// </summary>
    public static TunedSetting? Find(LightningModule module, LightningDataModule? dataModule, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            var targets = new List<(object, PropertyInfo)>();
            foreach (var owner in new object?[] { module, dataModule })
                if (owner?.GetType().GetProperty(name, BindingFlags.Instance | BindingFlags.Public) is { CanWrite: true, SetMethod.IsPublic: true } property &&
                    property.GetIndexParameters().Length == 0 && !InitOnly(property))
                    targets.Add((owner, property));
            if (targets.Count > 0) return new TunedSetting(name, targets);
        }
        return null;
    }

    // An init accessor says the value is fixed once the object is built, so the tuner does not change it behind the user's back.
    private static bool InitOnly(PropertyInfo property) =>
        property.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit));

    /// <summary>The current value, read from the first owner.</summary>
    public object? Value => _targets[0].Property.GetValue(_targets[0].Owner);

    /// <summary>Sets the value on every owner (converted to the property's type) and on a hyperparameter of the same name.</summary>
    public void Set(double value)
    {
        foreach (var (owner, property) in _targets)
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            property.SetValue(owner, Convert.ChangeType(value, type, CultureInfo.InvariantCulture));
            var hparams = owner switch
            {
                LightningModule m => m.HParams,
                LightningDataModule d => d.HParams,
                _ => null,
            };
            // HParams is the module's own dictionary, read-only to users; the tuner changes a value it already holds.
            if (hparams is Dictionary<string, object?> recorded &&
                recorded.Keys.FirstOrDefault(k => string.Equals(k.TrimStart('_'), Name, StringComparison.OrdinalIgnoreCase)) is { } key)
                recorded[key] = property.GetValue(owner);
        }
    }
}
