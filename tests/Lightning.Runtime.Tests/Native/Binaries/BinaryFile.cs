using System.Buffers.Binary;
using System.Text;

namespace Lightning.Tests.Native.Binaries;

/// <summary>
/// Little-endian reads at offsets of a native library, without loading the whole file (LibTorch's are hundreds of
/// megabytes): the part the export readers need is read into memory, the rest stays on disk.
/// </summary>
internal sealed class BinaryFile(string path) : IDisposable
{
    private readonly FileStream _stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read);

    /// <summary>The file's path, for messages.</summary>
    public string Path => path;

    /// <summary><paramref name="count"/> bytes from <paramref name="offset"/>.</summary>
    /// <exception cref="InvalidDataException">The file ends first.</exception>
    public byte[] Bytes(long offset, long count)
    {
        if (offset < 0 || count < 0 || offset + count > _stream.Length)
            throw new InvalidDataException($"{path}: {count} bytes at {offset} lie beyond the end of the file ({_stream.Length} bytes).");
        var buffer = new byte[count];
        _stream.Position = offset;
        _stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>The unsigned 16-bit value at <paramref name="offset"/>.</summary>
    public ushort UInt16(long offset) => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(offset, 2));

    /// <summary>The unsigned 32-bit value at <paramref name="offset"/>.</summary>
    public uint UInt32(long offset) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(offset, 4));

    /// <summary>The unsigned 64-bit value at <paramref name="offset"/>.</summary>
    public ulong UInt64(long offset) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(offset, 8));

    /// <summary>The NUL-terminated ASCII string starting at <paramref name="start"/> of <paramref name="table"/>.</summary>
    public static string CString(byte[] table, int start)
    {
        var end = Array.IndexOf(table, (byte)0, start);
        return Encoding.ASCII.GetString(table, start, (end < 0 ? table.Length : end) - start);
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
