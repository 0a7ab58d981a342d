using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using static TorchSharp.torch;

namespace Lightning.Checkpointing;

/// <summary>
/// Hyperparameters in checkpoints: saved as Python-readable values (numbers, text, lists, dictionaries; other
/// values as their invariant text), and turned back into constructor arguments to rebuild a module.
/// </summary>
internal static class HyperparameterValues
{
    /// <summary>The hyperparameters as checkpoint values.</summary>
    public static Dictionary<string, object?> ToCheckpoint(IReadOnlyDictionary<string, object?> hparams) =>
        hparams.ToDictionary(h => h.Key, h => Save(h.Value), StringComparer.Ordinal);

    /// <summary>
    /// Constructs <paramref name="type"/> with the public constructor (the widest that can be satisfied) whose
    /// parameters the hyperparameters supply, matched by name ignoring case and underscores (so Python's
    /// <c>hidden_size</c> feeds <c>hiddenSize</c>); parameters with defaults may be absent.
    /// </summary>
    /// <exception cref="CheckpointException">No constructor can be satisfied, or a value does not convert; the message names it.</exception>
    public static object Construct(Type type, IReadOnlyDictionary<string, object?> hparams, string path)
    {
        var byName = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in hparams) byName[Normalize(key)] = value;
        var constructors = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).ToList();
        if (constructors.Count == 0)
            throw new CheckpointException(path, $"{type.Name} has no public constructor, so LoadFromCheckpoint cannot create it.");
        foreach (var constructor in constructors)
        {
            var parameters = constructor.GetParameters();
            if (!parameters.All(p => byName.ContainsKey(Normalize(p.Name!)) || p.HasDefaultValue)) continue;
            var arguments = parameters.Select(p => byName.TryGetValue(Normalize(p.Name!), out var value) ? Load(value, p, type, path) : p.DefaultValue).ToArray();
            try
            {
                return constructor.Invoke(arguments);
            }
            catch (TargetInvocationException e)
            {
                throw new CheckpointException(path, $"{type.Name}'s constructor failed with the checkpoint's hyperparameters: {e.InnerException?.Message}", e.InnerException);
            }
        }
        var widest = constructors[0].GetParameters().Where(p => !p.HasDefaultValue && !byName.ContainsKey(Normalize(p.Name!))).Select(p => p.Name);
        throw new CheckpointException(path,
            $"Cannot rebuild {type.Name} from '{path}': its constructor needs {string.Join(", ", widest)}, which the checkpoint's hyperparameters " +
            $"({(hparams.Count == 0 ? "none" : string.Join(", ", hparams.Keys.Order(StringComparer.Ordinal)))}) lack. Call SaveHyperparameters() at the end of the constructor " +
            "before training, or create the module yourself and load its weights with module.LoadStateDict(path).");
    }

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    private static object? Save(object? value) => value switch
    {
        null or string or bool or double or float or long or int or short or byte => value,
        decimal d => (double)d,
        Enum e => e.ToString(),
        Tensor => null,
        IDictionary dictionary => dictionary.Cast<DictionaryEntry>()
            .ToDictionary(e => Convert.ToString(e.Key, CultureInfo.InvariantCulture)!, e => Save(e.Value), StringComparer.Ordinal),
        IEnumerable sequence => sequence.Cast<object?>().Select(Save).ToList(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static object? Load(object? value, ParameterInfo parameter, Type module, string path)
    {
        try
        {
            return ConvertTo(value, parameter.ParameterType);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or ArgumentException or NotSupportedException)
        {
            throw new CheckpointException(path,
                $"The hyperparameter for {module.Name}'s constructor parameter '{parameter.Name}' is {value ?? "null"} ({value?.GetType().Name ?? "None"}), " +
                $"which does not convert to {parameter.ParameterType.Name}: {e.Message}", e);
        }
    }

    private static object? ConvertTo(object? value, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (value is null)
            return !type.IsValueType || Nullable.GetUnderlyingType(type) is not null
                ? null
                : throw new InvalidCastException("null cannot be a value type");
        if (target == typeof(object) || (target.IsInstanceOfType(value) && value is not IEnumerable or string)) return value;
        if (target.IsEnum) return value is string name ? Enum.Parse(target, name, ignoreCase: true) : Enum.ToObject(target, value);
        if (value is IReadOnlyDictionary<string, object?> dictionary && DictionaryValueType(target) is { } valueType)
        {
            var result = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
            foreach (var (key, item) in dictionary) result[key] = ConvertTo(item, valueType);
            return result;
        }
        if (value is IEnumerable<object?> items && ElementType(target) is { } element)
        {
            var converted = items.Select(i => ConvertTo(i, element)).ToList();
            if (target.IsArray)
            {
                var array = Array.CreateInstance(element, converted.Count);
                for (var i = 0; i < converted.Count; i++) array.SetValue(converted[i], i);
                return array;
            }
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            foreach (var item in converted) list.Add(item);
            return list;
        }
        if (value is string text && target != typeof(string)) return TypeDescriptor.GetConverter(target).ConvertFromInvariantString(text);
        return System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType() : type.IsGenericType && type.GetGenericArguments().Length == 1 ? type.GetGenericArguments()[0] : null;

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string) ? value : null;
}
