using static TorchSharp.torch;

namespace Lightning.Bench.Data;

/// <summary>Fashion-MNIST as Debian's dataset-fashion-mnist installs it, or from a folder named by the caller.</summary>
internal static class FashionMnist
{
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The training split: features [60000, 784] in [0, 1] and labels [60000].</summary>
    public static (Tensor X, Tensor Y) Train(string? folder = null)
    {
        using var data = Open(folder);
        return (data.Features(), data.Labels.clone());
    }

    public static IdxDataset Open(string? folder = null)
    {
        folder ??= DebianFolder;
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException(
                $"Fashion-MNIST is not in {folder}. Install it with `apt-get install -y dataset-fashion-mnist` (bench/run.sh does), or pass --data <folder>.");
        return IdxDataset.FromFolder(folder);
    }
}
