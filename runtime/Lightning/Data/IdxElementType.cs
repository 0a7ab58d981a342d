using System.Buffers.Binary;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>The element types an IDX file can hold, by the type code in its magic number.</summary>
internal sealed record IdxElementType(byte Code, string Name, int Size, ScalarType Scalar)
{
    private static readonly IdxElementType[] All =
    [
        new(0x08, "unsigned byte", 1, ScalarType.Byte),
        new(0x09, "signed byte", 1, ScalarType.Int8),
        new(0x0B, "short", 2, ScalarType.Int16),
        new(0x0C, "int", 4, ScalarType.Int32),
        new(0x0D, "float", 4, ScalarType.Float32),
        new(0x0E, "double", 8, ScalarType.Float64),
    ];

    public static IdxElementType FromCode(byte code, string path) =>
        All.FirstOrDefault(t => t.Code == code) ?? throw new InvalidDataException(
            $"{path} has the unknown IDX element type code 0x{code:x2}; IDX defines " +
            string.Join(", ", All.Select(t => $"0x{t.Code:x2} ({t.Name})")) + ".");

    /// <summary>A tensor of <paramref name="shape"/> from big-endian <paramref name="data"/>.</summary>
    public Tensor ToTensor(byte[] data, long[] shape)
    {
        ToHostOrder(data);
        return Scalar switch
        {
            ScalarType.Byte => tensor(data, shape),
            ScalarType.Int8 => tensor(MemoryMarshal.Cast<byte, sbyte>(data).ToArray(), shape),
            ScalarType.Int16 => tensor(MemoryMarshal.Cast<byte, short>(data).ToArray(), shape),
            ScalarType.Int32 => tensor(MemoryMarshal.Cast<byte, int>(data).ToArray(), shape),
            ScalarType.Float32 => tensor(MemoryMarshal.Cast<byte, float>(data).ToArray(), shape),
            _ => tensor(MemoryMarshal.Cast<byte, double>(data).ToArray(), shape),
        };
    }

    private void ToHostOrder(byte[] data)
    {
        if (Size == 1 || !BitConverter.IsLittleEndian) return;
        var bytes = data.AsSpan();
        switch (Size)
        {
            case 2:
                var shorts = MemoryMarshal.Cast<byte, short>(bytes);
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                var ints = MemoryMarshal.Cast<byte, int>(bytes);
                BinaryPrimitives.ReverseEndianness(ints, ints);
                break;
            default:
                var longs = MemoryMarshal.Cast<byte, long>(bytes);
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
        }
    }
}
