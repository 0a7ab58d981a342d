using System.Collections;
using System.Globalization;
using System.Reflection;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Lightning.Checkpointing;

/// <summary>
/// Learning-rate scheduler state in checkpoints. TorchSharp's schedulers have no <c>state_dict</c>; like
/// PyTorch's, which save every attribute but the optimizer, this saves every field holding numbers, text or
/// flags (lists of them, and nested schedulers such as <c>SequentialLR</c>'s). Fields holding the optimizer,
/// functions or parameter groups are rebuilt by the constructor and skipped.
/// </summary>
internal static class SchedulerStates
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>The scheduler's state as a checkpoint entry.</summary>
    public static Dictionary<string, object?> StateDict(LRScheduler scheduler)
    {
        var state = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in Fields(scheduler.GetType()))
            if (TrySave(field.GetValue(scheduler), out var value)) state[field.Name] = value;
        return new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = scheduler.GetType().Name, ["state"] = state };
    }

    /// <summary>Checks that a saved entry belongs to a scheduler like <paramref name="scheduler"/>.</summary>
    public static void Check(LRScheduler scheduler, IReadOnlyDictionary<string, object?> saved, int index, string path)
    {
        var type = saved.GetValueOrDefault("type") as string;
        if (type != scheduler.GetType().Name)
            throw new CheckpointException(path,
                $"Learning-rate scheduler {index} in '{path}' is a {type ?? "(unknown)"}, but ConfigureOptimizers returned a {scheduler.GetType().Name}. " +
                "Resume with the schedulers the checkpoint was trained with.");
        if (saved.GetValueOrDefault("state") is not IReadOnlyDictionary<string, object?>)
            throw new CheckpointException(path, $"Learning-rate scheduler {index} in '{path}' has no state; the file is damaged. Use an earlier checkpoint.");
    }

    /// <summary>Restores an entry made by <see cref="StateDict"/> (after <see cref="Check"/>).</summary>
    public static void Load(LRScheduler scheduler, IReadOnlyDictionary<string, object?> saved)
    {
        var state = (IReadOnlyDictionary<string, object?>)saved["state"]!;
        foreach (var field in Fields(scheduler.GetType()))
        {
            if (!state.TryGetValue(field.Name, out var value)) continue;
            var current = field.GetValue(scheduler);
            if (current is LRScheduler nested) Load(nested, (IReadOnlyDictionary<string, object?>)value!);
            else if (current is IEnumerable<LRScheduler> schedulers)
                foreach (var (child, childState) in schedulers.Zip((IEnumerable<object?>)value!)) Load(child, (IReadOnlyDictionary<string, object?>)childState!);
            else field.SetValue(scheduler, Convert(value, field.FieldType));
        }
    }

    /// <summary>The schedulers <paramref name="scheduler"/> drives (<c>SequentialLR</c>'s, <c>ChainedLR</c>'s).</summary>
    public static IEnumerable<LRScheduler> Nested(LRScheduler scheduler) =>
        Fields(scheduler.GetType()).Select(f => f.GetValue(scheduler)).SelectMany(value => value switch
        {
            LRScheduler nested => [nested],
            IEnumerable<LRScheduler> nested => nested,
            _ => Enumerable.Empty<LRScheduler>(),
        });

    // From the most derived type up to LRScheduler, private fields included.
    private static IEnumerable<FieldInfo> Fields(Type type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var field in t.GetFields(Instance))
                yield return field;
    }

    private static bool TrySave(object? value, out object? saved)
    {
        saved = value switch
        {
            null => null,
            string or bool or double or float or int or long => value,
            Enum e => e.ToString(),
            LRScheduler nested => StateDict(nested),
            IEnumerable<LRScheduler> nested => nested.Select(s => (object?)StateDict(s)).ToList(),
            IEnumerable sequence when IsPlainList(value.GetType()) => sequence.Cast<object?>().ToList(),
            _ => Skip,
        };
        return !ReferenceEquals(saved, Skip);
    }

    private static readonly object Skip = new();

    private static bool IsPlainList(Type type) =>
        ElementType(type) is { } element && (element.IsPrimitive || element == typeof(string) || element.IsEnum);

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static object? Convert(object? value, Type type)
    {
        if (value is null) return null;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsEnum) return Enum.Parse(target, (string)value);
        if (ElementType(target) is { } element && target != typeof(string))
        {
            var items = ((IEnumerable<object?>)value).Select(v => Convert(v, element)).ToList();
            if (target.IsArray)
            {
                var array = Array.CreateInstance(element, items.Count);
                for (var i = 0; i < items.Count; i++) array.SetValue(items[i], i);
                return array;
            }
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            foreach (var item in items) list.Add(item);
            return list;
        }
        return System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }
}
