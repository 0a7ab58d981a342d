using System.Collections;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// Finds the tensors inside a batch (a tensor, a tuple, an array, a list or a dictionary of them, nested
/// freely) to move them to a device or to measure the batch size.
/// </summary>
public static class BatchTransfer
{
    /// <summary>A batch like <paramref name="batch"/> with every tensor moved to <paramref name="device"/>; tensors already there are kept.</summary>
    public static T To<T>(T batch, Device device) => (T)Map(batch, t => IsOn(t, device) ? t : t.to(device))!;

    // Device has no value equality and Tensor.device makes a new one on each call, so compare type and index.
    // A device without an index (plain "cuda") matches any index of its type, as tensor.to(device) would keep it.
    private static bool IsOn(Tensor tensor, Device device) =>
        tensor.device_type == device.type && (device.index < 0 || tensor.device_index == device.index);

    /// <summary>A batch like <paramref name="batch"/> with <paramref name="map"/> applied to every tensor.</summary>
    public static object? Map(object? batch, Func<Tensor, Tensor> map)
    {
        switch (batch)
        {
            case null:
                return null;
            case Tensor tensor:
                return map(tensor);
            case ITuple tuple:
            {
                var items = new object?[tuple.Length];
                var changed = false;
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = Map(tuple[i], map);
                    changed |= !ReferenceEquals(items[i], tuple[i]);
                }
                return changed ? RebuildTuple(batch.GetType(), items) : batch;
            }
            case Array array:
            {
                var copy = Array.CreateInstance(array.GetType().GetElementType()!, array.Length);
                for (var i = 0; i < array.Length; i++) copy.SetValue(Map(array.GetValue(i), map), i);
                return copy;
            }
            case IDictionary dictionary when batch.GetType().IsGenericType:
            {
                var copy = (IDictionary)Activator.CreateInstance(batch.GetType())!;
                foreach (DictionaryEntry entry in dictionary) copy[entry.Key] = Map(entry.Value, map);
                return copy;
            }
            case IList list when batch.GetType().IsGenericType:
            {
                var copy = (IList)Activator.CreateInstance(batch.GetType())!;
                foreach (var item in list) copy.Add(Map(item, map));
                return copy;
            }
            default:
                return batch;
        }
    }

    /// <summary>Every tensor inside <paramref name="batch"/>, in order.</summary>
    public static IEnumerable<Tensor> Tensors(object? batch)
    {
        switch (batch)
        {
            case Tensor tensor:
                yield return tensor;
                break;
            case ITuple tuple:
                for (var i = 0; i < tuple.Length; i++)
                    foreach (var t in Tensors(tuple[i])) yield return t;
                break;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                    foreach (var t in Tensors(entry.Value)) yield return t;
                break;
            case IEnumerable enumerable and not string:
                foreach (var item in enumerable)
                    foreach (var t in Tensors(item)) yield return t;
                break;
        }
    }

    /// <summary>Lightning's batch-size guess: the first dimension of the first tensor in the batch, or 1.</summary>
    public static int SizeOf(object? batch)
    {
        foreach (var tensor in Tensors(batch))
            return tensor.dim() > 0 ? (int)tensor.shape[0] : 1;
        return 1;
    }

    private static object RebuildTuple(Type type, object?[] items)
    {
        if (type.IsValueType && type.FullName!.StartsWith("System.ValueTuple", StringComparison.Ordinal) && items.Length < 8)
            return Activator.CreateInstance(type, items)!;
        if (type.FullName!.StartsWith("System.Tuple", StringComparison.Ordinal) && items.Length < 8)
            return Activator.CreateInstance(type, items)!;
        throw new NotSupportedException(
            $"Cannot move a batch of type {type.Name} to the device; override TransferBatchToDevice in your module to move it.");
    }
}
