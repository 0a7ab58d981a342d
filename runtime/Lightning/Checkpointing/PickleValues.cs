using System.Collections;
using System.Globalization;
using System.Numerics;
using static TorchSharp.torch;

namespace Lightning.Checkpointing;

/// <summary>
/// Converts between the values the runtime keeps in checkpoints and what Python's pickle holds: dictionaries
/// with string keys, lists, 64-bit integers, doubles, booleans, strings, null and tensors. Written that way,
/// <c>torch.load</c> reads a checkpoint without any class of ours.
/// </summary>
internal static class PickleValues
{
    /// <summary>
    /// A copy of <paramref name="value"/> ready to pickle: tensors detached, on the CPU, contiguous and starting at
    /// their storage's first element (what PyTorch's reader expects). Create it inside a dispose scope.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="where">Where the value sits in the checkpoint, for the error message.</param>
    /// <exception cref="ArgumentException">A value of a type a checkpoint cannot hold.</exception>
    public static object? ToPickle(object? value, string where) => value switch
    {
        null or string or bool or double or long => value,
        int or short or byte or sbyte or uint or ushort => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float f => (double)f,
        Tensor tensor => PrepareTensor(tensor),
        Enum e => e.ToString(),
        IDictionary dictionary => ToPickleDictionary(dictionary, where),
        IEnumerable sequence => sequence.Cast<object?>().Select((item, i) => ToPickle(item, $"{where}[{i}]")).ToList(),
        _ => throw new ArgumentException(
            $"The checkpoint entry '{where}' holds a {value.GetType().Name}; checkpoints hold strings, numbers, booleans, tensors, " +
            "and lists and dictionaries of them. Convert the value in StateDict() or OnSaveCheckpoint.", nameof(value)),
    };

    /// <summary><see cref="ToPickle"/> for a dictionary, keeping its order.</summary>
    public static Dictionary<string, object?> ToPickleDictionary(IDictionary dictionary, string where)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dictionary)
        {
            var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!;
            result[key] = ToPickle(entry.Value, where.Length == 0 ? key : $"{where}/{key}");
        }
        return result;
    }

    /// <summary>What an unpickled value means to the runtime: dictionaries keyed by strings, lists, longs, doubles.</summary>
    public static object? FromPickle(object? value) => value switch
    {
        null or string or bool or double or long or Tensor or byte[] => value,
        int i => (long)i,
        BigInteger big => big >= long.MinValue && big <= long.MaxValue ? (long)big : (double)big,
        float f => (double)f,
        IDictionary dictionary => FromPickleDictionary(dictionary),
        IEnumerable sequence and not string => sequence.Cast<object?>().Select(FromPickle).ToList(),
        _ => value,
    };

    /// <summary><see cref="FromPickle"/> for a dictionary.</summary>
    public static Dictionary<string, object?> FromPickleDictionary(IDictionary dictionary)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dictionary)
            result[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = FromPickle(entry.Value);
        return result;
    }

    /// <summary>Disposes every tensor inside <paramref name="value"/>, for values read outside a dispose scope.</summary>
    public static void DisposeTensors(object? value)
    {
        switch (value)
        {
            case Tensor tensor:
                tensor.Dispose();
                break;
            case IDictionary dictionary:
                foreach (var item in dictionary.Values) DisposeTensors(item);
                break;
            case IEnumerable sequence and not string:
                foreach (var item in sequence) DisposeTensors(item);
                break;
        }
    }

    // PyTorch rebuilds a tensor from its storage, offset and strides; PyBridge writes only the tensor's own
    // elements, so the tensor written must be a plain contiguous block of its own.
    private static Tensor PrepareTensor(Tensor tensor)
    {
        var plain = tensor.detach().cpu().contiguous();
        return plain.storage_offset() == 0 ? plain : plain.clone();
    }
}
