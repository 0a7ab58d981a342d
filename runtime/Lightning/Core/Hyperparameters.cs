using System.Collections;
using System.Reflection;

namespace Lightning;

/// <summary>Reads hyperparameters from a module's constructor arguments or from an object's properties.</summary>
internal static class Hyperparameters
{
    /// <summary>
    /// For each parameter of the widest public constructor, the value of the member of the same name
    /// (case-insensitive, leading underscore ignored). Parameters with no such member are skipped: C# cannot
    /// see the arguments a constructor received, only what it kept.
    /// </summary>
    public static Dictionary<string, object?> FromConstructor(object instance)
    {
        var type = instance.GetType();
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (constructor is null) return result;
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.IgnoreCase;
        foreach (var parameter in constructor.GetParameters())
        {
            var name = parameter.Name!;
            if (FindMember(type, name, flags) is { } getter) result[name] = getter();

            Func<object?>? FindMember(Type t, string n, BindingFlags f)
            {
                foreach (var candidate in new[] { n, "_" + n })
                {
                    for (var current = t; current is not null; current = current.BaseType)
                    {
                        if (current.GetProperty(candidate, f | BindingFlags.DeclaredOnly) is { CanRead: true } p && p.GetIndexParameters().Length == 0)
                            return () => p.GetValue(instance);
                        if (current.GetField(candidate, f | BindingFlags.DeclaredOnly) is { } fi)
                            return () => fi.GetValue(instance);
                    }
                }
                return null;
            }
        }
        return result;
    }

    /// <summary>The public properties of an anonymous or plain object, or the entries of a dictionary.</summary>
    public static Dictionary<string, object?> FromObject(object values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (values is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary) result[entry.Key.ToString()!] = entry.Value;
            return result;
        }
        foreach (var property in values.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public))
            if (property.GetIndexParameters().Length == 0) result[property.Name] = property.GetValue(values);
        return result;
    }
}
