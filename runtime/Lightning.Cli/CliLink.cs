using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Lightning.Cli;

/// <summary>
/// A value the data module gives the model (Lightning's <c>link_arguments</c>): a public instance property of the
/// data module, read right after the data module is built, becomes the model constructor parameter of the same
/// name (compared without case: <c>InputSize</c> feeds <c>inputSize</c>), unless the user set that
/// <c>--model.*</c> option on the command line or in a config file.
/// </summary>
/// <param name="Source">The data module's property.</param>
/// <param name="Target">The model's setting it feeds.</param>
internal sealed record CliLink(PropertyInfo Source, CliSetting Target)
{
    /// <summary>The links between a data module and a model: one per property whose name and type fit a model parameter.</summary>
    public static IReadOnlyList<CliLink> Between(CliComponent? data, CliComponent model)
    {
        if (data is null) return [];
        var links = new List<CliLink>();
        foreach (var property in data.Type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0) continue;
            var target = model.Settings.FirstOrDefault(s => string.Equals(s.Name, CliNames.Kebab(property.Name), StringComparison.OrdinalIgnoreCase));
            if (target is not null && Converts(property.PropertyType, target.Type)) links.Add(new CliLink(property, target));
        }
        return links;
    }

    /// <summary>The value <paramref name="dataModule"/> gives, as the model parameter's type; what the getter throws propagates unwrapped.</summary>
    public object? Read(object dataModule)
    {
        object? value;
        try
        {
            value = Source.GetValue(dataModule);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        var target = Nullable.GetUnderlyingType(Target.Type) ?? Target.Type;
        return value is null || target.IsInstanceOfType(value) ? value : Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
    }

    // The same type, or a number that widens without loss (an int size feeding a long parameter).
    private static bool Converts(Type from, Type to)
    {
        from = Nullable.GetUnderlyingType(from) ?? from;
        to = Nullable.GetUnderlyingType(to) ?? to;
        if (to.IsAssignableFrom(from)) return true;
        if (from == typeof(int)) return to == typeof(long) || to == typeof(double) || to == typeof(decimal);
        if (from == typeof(long)) return to == typeof(decimal);
        return from == typeof(float) && to == typeof(double);
    }
}
