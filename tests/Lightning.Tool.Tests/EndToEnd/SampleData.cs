using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Lightning.Tool.Tests.EndToEnd;

/// <summary>Small data files in the formats the generated data modules read, written byte by byte.</summary>
internal static class SampleData
{
    /// <summary>An IDX file of unsigned bytes with the given shape, gzip-compressed or not.</summary>
    public static void Idx(string path, int[] shape, Func<int, byte> value, bool gzip)
    {
        var count = shape.Aggregate(1, (a, d) => a * d);
        var bytes = new List<byte> { 0, 0, 0x08, (byte)shape.Length };
        foreach (var d in shape)
        {
            var be = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(be, d);
            bytes.AddRange(be);
        }
        bytes.AddRange(Enumerable.Range(0, count).Select(value));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using var stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : (Stream)file;
        stream.Write(bytes.ToArray());
    }

    /// <summary>A 24-bit BMP of one grey level.</summary>
    public static void Bmp(string path, int size, byte grey)
    {
        var row = (size * 3 + 3) / 4 * 4;
        var pixels = row * size;
        var bytes = new byte[54 + pixels];
        "BM"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), size);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), size);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(34), pixels);
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size * 3; x++) bytes[54 + y * row + x] = grey;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>A safetensors file with a float32 matrix [rows, columns] and int64 labels [rows], named <paramref name="xKey"/> and <paramref name="yKey"/>.</summary>
    public static void Safetensors(string path, int rows, int columns, int classes, string xKey = "x", string yKey = "y")
    {
        var random = new Random(3);
        var x = new byte[rows * columns * 4];
        var y = new byte[rows * 8];
        for (var r = 0; r < rows; r++)
        {
            var label = r % classes;
            BinaryPrimitives.WriteInt64LittleEndian(y.AsSpan(r * 8), label);
            for (var c = 0; c < columns; c++)
                BinaryPrimitives.WriteSingleLittleEndian(x.AsSpan((r * columns + c) * 4), (float)(random.NextDouble() + (c == label ? 2 : 0)));
        }
        var header = $"{{\"{xKey}\":{{\"dtype\":\"F32\",\"shape\":[{rows},{columns}],\"data_offsets\":[0,{x.Length}]}},\"{yKey}\":{{\"dtype\":\"I64\",\"shape\":[{rows}],\"data_offsets\":[{x.Length},{x.Length + y.Length}]}}}}";
        header = header.PadRight((header.Length + 7) / 8 * 8);
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [.. length, .. Encoding.ASCII.GetBytes(header), .. x, .. y]);
    }
}
