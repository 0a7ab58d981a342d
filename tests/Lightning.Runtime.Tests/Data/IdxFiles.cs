using System.Buffers.Binary;
using System.IO.Compression;

namespace Lightning.Tests.Data;

/// <summary>Writes small IDX files, plain or gzip-compressed, for the reader's tests.</summary>
internal static class IdxFiles
{
    /// <summary>The bytes of an IDX file: magic number, big-endian dimension sizes, then <paramref name="payload"/> as given.</summary>
    public static byte[] Bytes(byte typeCode, int[] shape, byte[] payload)
    {
        var header = new byte[4 + 4 * shape.Length];
        header[2] = typeCode;
        header[3] = (byte)shape.Length;
        for (var i = 0; i < shape.Length; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), shape[i]);
        return [.. header, .. payload];
    }

    public static string Write(string folder, string name, byte[] bytes, bool gzip = false)
    {
        var path = Path.Combine(folder, name);
        if (!gzip)
        {
            File.WriteAllBytes(path, bytes);
            return path;
        }
        using var file = File.Create(path);
        using var compressed = new GZipStream(file, CompressionLevel.Fastest);
        compressed.Write(bytes);
        return path;
    }

    /// <summary>An images file of <paramref name="count"/> 2×3 images whose pixels count up from the image index.</summary>
    public static string Images(string folder, string name, int count, bool gzip = false) =>
        Write(folder, name, Bytes(0x08, [count, 2, 3], Enumerable.Range(0, count * 6).Select(i => (byte)(i / 6 + i % 6)).ToArray()), gzip);

    /// <summary>A labels file holding 0, 1, 2, … modulo 10.</summary>
    public static string Labels(string folder, string name, int count, bool gzip = false) =>
        Write(folder, name, Bytes(0x08, [count], Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray()), gzip);
}
