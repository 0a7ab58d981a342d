using System.IO.Compression;
using static TorchSharp.torch;

namespace Lightning.Bench.Data;

/// <summary>
/// Images stored one by one, deflate-compressed as PNG stores its pixels, so that reading an item costs what
/// decoding an image file costs: the data set of case 4, whose items cost CPU time to produce.
/// </summary>
internal sealed class EncodedImages
{
    private readonly byte[][] _encoded;

    private EncodedImages(byte[][] encoded, long[] labels, int height, int width)
    {
        _encoded = encoded;
        Labels = labels;
        Height = height;
        Width = width;
    }

    public long[] Labels { get; }

    public int Height { get; }

    public int Width { get; }

    public int Count => _encoded.Length;

    public static EncodedImages Encode(IdxDataset data)
    {
        var height = (int)data.Images.shape[1];
        var width = (int)data.Images.shape[2];
        var pixels = data.Images.bytes.ToArray();
        var size = height * width;
        var encoded = new byte[data.Count][];
        Parallel.For(0, encoded.Length, i =>
        {
            using var buffer = new MemoryStream();
            using (var deflate = new ZLibStream(buffer, CompressionLevel.Optimal)) deflate.Write(pixels, i * size, size);
            encoded[i] = buffer.ToArray();
        });
        return new EncodedImages(encoded, data.Labels.data<long>().ToArray(), height, width);
    }

    /// <summary>Decodes item <paramref name="index"/> into <paramref name="pixels"/> (Height × Width bytes).</summary>
    public void Decode(long index, Span<byte> pixels)
    {
        using var deflate = new ZLibStream(new MemoryStream(_encoded[index]), CompressionMode.Decompress);
        deflate.ReadExactly(pixels);
    }
}
