using System.Buffers.Binary;
using System.IO.Compression;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST (<c>train-images-idx3-ubyte</c>, gzip-compressed or
/// not): a magic number naming the element type and the number of dimensions, the dimensions, then the
/// elements in big-endian order.
/// </summary>
public static class IdxFile
{
    /// <summary>
    /// The file's contents as a tensor of its shape and element type (unsigned byte, signed byte, short, int,
    /// float or double). A gzip-compressed file is recognised by its content, whatever its name.
    /// </summary>
    /// <param name="path">The IDX file, for example <c>train-images-idx3-ubyte.gz</c>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an IDX file, or is shorter than its header says.</exception>
    public static Tensor Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The IDX file {path} does not exist. Check the path; MNIST-style data sets name them like train-images-idx3-ubyte.gz.", path);
        using var file = File.OpenRead(path);
        using var content = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        return Read(content, path);
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> head = stackalloc byte[2];
        var gzip = file.Read(head) == 2 && head[0] == 0x1f && head[1] == 0x8b;
        file.Position = 0;
        return gzip;
    }

    private static Tensor Read(Stream stream, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        ReadExactly(stream, magic, path, "its 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException(
                $"{path} is not an IDX file: it starts with bytes {magic[0]:x2} {magic[1]:x2}, and IDX files start with two zero bytes. " +
                "Only uncompressed and gzip-compressed IDX files can be read.");
        var element = IdxElementType.FromCode(magic[2], path);
        int rank = magic[3];
        if (rank == 0)
            throw new InvalidDataException($"{path} is not a valid IDX file: its header says it has 0 dimensions.");

        var dimensionBytes = new byte[4 * rank];
        ReadExactly(stream, dimensionBytes, path, $"the sizes of its {rank} dimensions");
        var shape = new long[rank];
        var count = 1L;
        for (var i = 0; i < rank; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(dimensionBytes.AsSpan(4 * i));
            if (shape[i] < 0) throw new InvalidDataException($"{path} is not a valid IDX file: dimension {i} has the negative size {shape[i]}.");
            count *= shape[i];
        }
        var byteCount = count * element.Size;
        if (byteCount > Array.MaxLength)
            throw new InvalidDataException($"{path} says it holds {byteCount} bytes of data, more than one array can hold; is the header corrupt?");

        var data = new byte[byteCount];
        ReadExactly(stream, data, path, $"the {count} elements of shape [{string.Join(", ", shape)}] its header announces");
        return element.ToTensor(data, shape);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string what)
    {
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
            throw new InvalidDataException(
                $"{path} is truncated: it ended after {read} of the {buffer.Length} bytes of {what}. Download or copy the file again.");
    }
}
