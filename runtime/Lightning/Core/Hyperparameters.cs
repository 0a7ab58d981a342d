using System.Collections;
using System.Reflection;

namespace Lightning;

/// <summary>Reads hyperparameters from a module's constructor arguments or from an object's properties.</summary>
internal static class Hyperparameters
{
    /// <summary>
    /// For each parameter of the widest public constructor not in <paramref name="ignore"/>, the value of the member
    /// of the same name (case-insensitive, leading underscore ignored). C# cannot see the arguments a constructor
    /// received, only what it kept, so a parameter with no such member is left out and named in a warning, rather
    /// than dropped silently.
    /// </summary>
    public static Dictionary<string, object?> FromConstructor(object instance, IReadOnlyCollection<string> ignore)
    {
        var type = instance.GetType();
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (constructor is null) return result;
        var unknown = ignore.Where(name => constructor.GetParameters().All(p => p.Name != name)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException(
                $"SaveHyperparameters(ignore: ...) names {string.Join(", ", unknown)}, which {(unknown.Count == 1 ? "is not a parameter" : "are not parameters")} " +
                $"of {type.Name}'s constructor ({string.Join(", ", constructor.GetParameters().Select(p => p.Name))}).", nameof(ignore));
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.IgnoreCase;
        var unread = new List<string>();
        foreach (var parameter in constructor.GetParameters())
        {
            var name = parameter.Name!;
            if (ignore.Contains(name)) continue;
            if (FindMember(type, name, flags) is { } getter) result[name] = getter();
            else unread.Add(name);

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
        if (unread.Count > 0)
            Output.Warn($"{type.Name}.SaveHyperparameters() could not read the constructor argument{(unread.Count == 1 ? "" : "s")} {string.Join(", ", unread)}: " +
                           "keep each in a field or property of the same name (then LoadFromCheckpoint can pass it back), or name it in ignore.");
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
