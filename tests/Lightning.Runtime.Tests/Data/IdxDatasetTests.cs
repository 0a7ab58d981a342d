using Lightning.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Tests.Data;

[TestClass]
public sealed class IdxDatasetTests
{
    [TestMethod]
    public void FindsTheTrainAndTestSplitsOfAnMnistStyleFolder()
    {
        var folder = TempDir.Create();
        IdxFiles.Images(folder, "train-images-idx3-ubyte.gz", 5, gzip: true);
        IdxFiles.Labels(folder, "train-labels-idx1-ubyte.gz", 5, gzip: true);
        IdxFiles.Images(folder, "t10k-images-idx3-ubyte", 3);
        IdxFiles.Labels(folder, "t10k-labels-idx1-ubyte", 3);

        using var train = IdxDataset.FromFolder(folder);
        using var test = IdxDataset.FromFolder(folder, train: false);

        Assert.AreEqual(5, train.Count);
        Assert.AreEqual(3, test.Count);
        Assert.AreEqual(ScalarType.Int64, train.Labels.dtype);
        Assert.AreEqual(4L, train.Labels[4].ToInt64());
    }

    [TestMethod]
    public void FeaturesAreFlatFloatRowsScaledToOne()
    {
        var folder = TempDir.Create();
        using var data = IdxDataset.Load(IdxFiles.Images(folder, "images", 2), IdxFiles.Labels(folder, "labels", 2));

        using var features = data.Features();

        CollectionAssert.AreEqual(new long[] { 2, 6 }, features.shape);
        Assert.AreEqual(ScalarType.Float32, features.dtype);
        Assert.AreEqual((1 + 5) / 255.0f, features[1, 5].ToSingle(), 1e-7f);
    }

    [TestMethod]
    public void FeaturesLeaveFloatImagesUntouched()
    {
        var folder = TempDir.Create();
        var pixel = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteSingleBigEndian(pixel, 51f);
        var images = IdxFiles.Write(folder, "images", IdxFiles.Bytes(0x0D, [1, 1, 1], pixel));
        using var data = IdxDataset.Load(images, IdxFiles.Labels(folder, "labels", 1));

        using var features = data.Features();

        Assert.AreEqual(0.2f, features[0, 0].ToSingle(), 1e-6f);
        Assert.AreEqual(51f, data.Images[0, 0, 0].ToSingle());
    }

    [TestMethod]
    public void RejectsImagesAndLabelsOfDifferentCounts()
    {
        var folder = TempDir.Create();
        var images = IdxFiles.Images(folder, "images", 4);
        var labels = IdxFiles.Labels(folder, "labels", 3);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxDataset.Load(images, labels));

        StringAssert.Contains(error.Message, "same N");
    }

    [TestMethod]
    public void NamesBothFileNamesWhenASplitIsMissing()
    {
        var folder = TempDir.Create();

        var error = Assert.ThrowsExactly<FileNotFoundException>(() => IdxDataset.FromFolder(folder, train: false));

        StringAssert.Contains(error.Message, "t10k-images-idx3-ubyte.gz");
        StringAssert.Contains(error.Message, folder);
    }
}
