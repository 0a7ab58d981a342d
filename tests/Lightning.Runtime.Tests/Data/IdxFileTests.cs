using System.Buffers.Binary;
using Lightning.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Tests.Data;

[TestClass]
public sealed class IdxFileTests
{
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ReadsUnsignedBytesWithTheirShapeCompressedOrNot(bool gzip)
    {
        // The name says nothing about compression: the reader must look at the content.
        var path = IdxFiles.Images(TempDir.Create(), "images-idx3-ubyte", 4, gzip);

        using var images = IdxFile.Read(path);

        Assert.AreEqual(ScalarType.Byte, images.dtype);
        CollectionAssert.AreEqual(new long[] { 4, 2, 3 }, images.shape);
        Assert.AreEqual(3 + 5, images[3, 1, 2].ToInt32());
    }

    [TestMethod]
    public void ConvertsBigEndianIntsAndFloats()
    {
        var folder = TempDir.Create();
        var ints = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(ints, -2);
        BinaryPrimitives.WriteInt32BigEndian(ints.AsSpan(4), 70_000);
        var floats = new byte[4];
        BinaryPrimitives.WriteSingleBigEndian(floats, 1.5f);

        using var intTensor = IdxFile.Read(IdxFiles.Write(folder, "ints", IdxFiles.Bytes(0x0C, [2], ints)));
        using var floatTensor = IdxFile.Read(IdxFiles.Write(folder, "floats", IdxFiles.Bytes(0x0D, [1, 1], floats)));

        CollectionAssert.AreEqual(new[] { -2, 70_000 }, intTensor.data<int>().ToArray());
        Assert.AreEqual(ScalarType.Float32, floatTensor.dtype);
        Assert.AreEqual(1.5f, floatTensor[0, 0].ToSingle());
    }

    [TestMethod]
    public void RejectsAFileThatIsNotIdx()
    {
        var path = IdxFiles.Write(TempDir.Create(), "notes.txt", "hello world"u8.ToArray());

        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxFile.Read(path));

        StringAssert.Contains(error.Message, "is not an IDX file");
    }

    [TestMethod]
    public void RejectsAnUnknownElementType()
    {
        var path = IdxFiles.Write(TempDir.Create(), "odd", IdxFiles.Bytes(0x0A, [1], [0]));

        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxFile.Read(path));

        StringAssert.Contains(error.Message, "0x0a");
        StringAssert.Contains(error.Message, "0x08 (unsigned byte)");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void RejectsATruncatedFileNamingWhatIsMissing(bool gzip)
    {
        var path = IdxFiles.Write(TempDir.Create(), "short", IdxFiles.Bytes(0x08, [2, 3], [1, 2, 3, 4]), gzip);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxFile.Read(path));

        StringAssert.Contains(error.Message, "truncated");
        StringAssert.Contains(error.Message, "4 of the 6 bytes");
    }

    [TestMethod]
    public void NamesAMissingFile()
    {
        var path = Path.Combine(TempDir.Create(), "train-images-idx3-ubyte");

        var error = Assert.ThrowsExactly<FileNotFoundException>(() => IdxFile.Read(path));

        StringAssert.Contains(error.Message, path);
    }
}
