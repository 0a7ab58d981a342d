using System.Buffers.Binary;
using System.Collections;
using System.IO.Compression;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Checkpointing;

/// <summary>
/// Writes PyTorch's <c>torch.save</c> format: a zip archive with the pickle (protocol 2) of one value in
/// <c>archive/data.pkl</c> and each tensor's bytes in its own <c>archive/data/N</c> entry. Entries are stored,
/// not deflated, as PyTorch stores them: weights barely compress, and deflating them made every checkpoint
/// cost tens of milliseconds of the training thread's time per megabyte.
/// </summary>
internal sealed class TorchSaveWriter
{
    private const string Archive = "archive";
    private const int CopyBuffer = 1 << 20;

    private readonly ZipArchive _zip;
    private readonly MemoryStream _pickle = new();
    private int _storages;

    private TorchSaveWriter(ZipArchive zip) => _zip = zip;

    /// <summary>
    /// Writes <paramref name="value"/> to <paramref name="stream"/>: dictionaries with string keys, lists, 64-bit
    /// integers, doubles, booleans, strings, null and contiguous CPU tensors that start their storage (what
    /// <see cref="PickleValues.ToPickle"/> makes).
    /// </summary>
    public static void Write(Stream stream, object? value)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var writer = new TorchSaveWriter(zip);
        writer._pickle.Write([0x80, 2]); // PROTO 2
        writer.Pickle(value);
        writer.Op('.'); // STOP
        writer.Entry("data.pkl", writer._pickle.GetBuffer().AsSpan(0, (int)writer._pickle.Length));
        writer.Entry("byteorder", "little"u8);
        writer.Entry("version", "3\n"u8);
    }

    private void Entry(string name, ReadOnlySpan<byte> content)
    {
        using var entry = OpenEntry(name);
        entry.Write(content);
    }

    private Stream OpenEntry(string name) => _zip.CreateEntry($"{Archive}/{name}", CompressionLevel.NoCompression).Open();

    private void Pickle(object? value)
    {
        switch (value)
        {
            case null:
                Op('N');
                break;
            case bool flag:
                _pickle.WriteByte(flag ? (byte)0x88 : (byte)0x89); // NEWTRUE, NEWFALSE
                break;
            case long integer:
                Integer(integer);
                break;
            case double real:
                Op('G'); // BINFLOAT, big-endian
                Span<byte> bits = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(bits, real);
                _pickle.Write(bits);
                break;
            case string text:
                String(text);
                break;
            case Tensor tensor:
                Tensor(tensor);
                break;
            case IDictionary dictionary:
                Op('}'); // EMPTY_DICT
                if (dictionary.Count == 0) break;
                Op('('); // MARK
                foreach (DictionaryEntry entry in dictionary)
                {
                    Pickle(entry.Key);
                    Pickle(entry.Value);
                }
                Op('u'); // SETITEMS
                break;
            case IList list:
                Op(']'); // EMPTY_LIST
                if (list.Count == 0) break;
                Op('(');
                foreach (var item in list) Pickle(item);
                Op('e'); // APPENDS
                break;
            default:
                throw new ArgumentException($"A torch.save file cannot hold a {value.GetType().Name} here; convert it with PickleValues.ToPickle first.", nameof(value));
        }
    }

    private void Integer(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            Op('J'); // BININT, little-endian
            BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
            _pickle.Write(bytes[..4]);
            return;
        }
        _pickle.WriteByte(0x8a); // LONG1: length, then little-endian two's complement
        _pickle.WriteByte(8);
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        _pickle.Write(bytes);
    }

    private void String(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Op('X'); // BINUNICODE
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        _pickle.Write(length);
        _pickle.Write(bytes);
    }

    private void Global(string module, string name) => _pickle.Write(Encoding.ASCII.GetBytes($"c{module}\n{name}\n")); // GLOBAL

    /// <summary>
    /// <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)</c>, the storage given
    /// by a persistent id that names the entry holding its bytes, as <c>torch.save</c> writes a tensor.
    /// </summary>
    private void Tensor(Tensor tensor)
    {
        if (tensor.device_type != DeviceType.CPU || !tensor.is_contiguous())
            throw new ArgumentException("A tensor to save must be contiguous and on the CPU; PickleValues.ToPickle prepares it.", nameof(tensor));
        var key = (_storages++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var entry = OpenEntry($"data/{key}"))
            tensor.WriteBytesToStream(entry, CopyBuffer);

        Global("torch._utils", "_rebuild_tensor_v2");
        Op('(');
        Op('('); // the persistent id: ("storage", storage type, key, location, number of elements)
        String("storage");
        Global("torch", StorageType(tensor.dtype));
        String(key);
        String("cpu");
        Integer(tensor.numel());
        Op('t'); // TUPLE
        Op('Q'); // BINPERSID
        Integer(0);
        Tuple(tensor.shape);
        Tuple(tensor.stride());
        _pickle.WriteByte(0x89); // requires_grad: False
        Global("collections", "OrderedDict");
        Op(')'); // EMPTY_TUPLE
        Op('R'); // REDUCE
        Op('t');
        Op('R');
    }

    private void Tuple(long[] values)
    {
        Op('(');
        foreach (var value in values) Integer(value);
        Op('t');
    }

    private void Op(char code) => _pickle.WriteByte((byte)code);

    private static string StorageType(ScalarType type) => type switch
    {
        ScalarType.Float64 => "DoubleStorage",
        ScalarType.Float32 => "FloatStorage",
        ScalarType.Float16 => "HalfStorage",
        ScalarType.BFloat16 => "BFloat16Storage",
        ScalarType.Int64 => "LongStorage",
        ScalarType.Int32 => "IntStorage",
        ScalarType.Int16 => "ShortStorage",
        ScalarType.Int8 => "CharStorage",
        ScalarType.Byte => "ByteStorage",
        ScalarType.Bool => "BoolStorage",
        ScalarType.ComplexFloat64 => "ComplexDoubleStorage",
        ScalarType.ComplexFloat32 => "ComplexFloatStorage",
        _ => throw new ArgumentException($"torch.save has no storage type for {type} tensors.", nameof(type)),
    };
}
