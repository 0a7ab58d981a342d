using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// An image classification data set in IDX files, as MNIST and Fashion-MNIST ship: one file of images
/// (<c>[N, rows, columns]</c> bytes) and one of labels (<c>[N]</c>). Dispose it to free the tensors.
/// </summary>
public sealed class IdxDataset : IDisposable
{
    private IdxDataset(Tensor images, Tensor labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>The images as stored, for MNIST a <c>[N, 28, 28]</c> tensor of bytes.</summary>
    public Tensor Images { get; }

    /// <summary>The labels as 64-bit class indices (what cross-entropy expects), <c>[N]</c>.</summary>
    public Tensor Labels { get; }

    /// <summary>Number of examples.</summary>
    public long Count => Labels.shape[0];

    /// <summary>
    /// Reads an images file and a labels file (each gzip-compressed or not) and checks that they hold the
    /// same number of examples.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is not IDX, is truncated, or the two do not match.</exception>
    public static IdxDataset Load(string imagesPath, string labelsPath)
    {
        var images = IdxFile.Read(imagesPath);
        using var rawLabels = IdxFile.Read(labelsPath);
        if (rawLabels.dim() != 1 || images.dim() < 2 || images.shape[0] != rawLabels.shape[0])
        {
            var message = $"{imagesPath} holds shape [{string.Join(", ", images.shape)}] and {labelsPath} holds shape " +
                $"[{string.Join(", ", rawLabels.shape)}]; expected images [N, ...] and labels [N] with the same N. " +
                "Check that both files belong to the same split (train or t10k).";
            images.Dispose();
            throw new InvalidDataException(message);
        }
        return new IdxDataset(images, rawLabels.to_type(ScalarType.Int64));
    }

    /// <summary>
    /// Reads a split from a folder laid out as MNIST and Fashion-MNIST are distributed:
    /// <c>train-images-idx3-ubyte[.gz]</c> and <c>train-labels-idx1-ubyte[.gz]</c>, or <c>t10k-…</c> for the test split.
    /// </summary>
    /// <param name="folder">The folder holding the four files, for example <c>/usr/share/datasets/fashion-mnist</c>.</param>
    /// <param name="train">The training split (<c>train-</c>) or the test split (<c>t10k-</c>).</param>
    public static IdxDataset FromFolder(string folder, bool train = true)
    {
        var prefix = train ? "train" : "t10k";
        return Load(Find(folder, $"{prefix}-images-idx3-ubyte"), Find(folder, $"{prefix}-labels-idx1-ubyte"));
    }

    /// <summary>The images as float32 rows scaled to [0, 1], <c>[N, rows × columns]</c>: the usual input of an MLP.</summary>
    public Tensor Features()
    {
        using var scope = NewDisposeScope();
        // A fresh copy (even of float images) divided in place: a second temporary copy of a whole data set would
        // double the peak memory of loading it.
        return Images.reshape(Count, -1).to_type(ScalarType.Float32, copy: true).div_(255.0f).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }

    private static string Find(string folder, string name)
    {
        foreach (var candidate in new[] { name, name + ".gz" })
        {
            var path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException(
            $"Neither {name} nor {name}.gz is in {folder}. Point to the folder holding the MNIST-style files " +
            "(for Fashion-MNIST on Debian: apt-get install dataset-fashion-mnist, then /usr/share/datasets/fashion-mnist).",
            Path.Combine(folder, name));
    }
}
