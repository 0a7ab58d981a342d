using System.Globalization;
using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Tests.Support;

/// <summary>The UCI digits data set the repository carries, split 70/15/15 with a fixed seed.</summary>
internal static class Digits
{
    private static readonly Lazy<(float[] X, long[] Y)> Rows = new(Load);

    public static string Path => RepositoryPaths.Data("digits.csv.gz");

    public static int Count => Rows.Value.Y.Length;

    /// <summary>Train, validation and test tensors (features scaled to [0, 1]).</summary>
    public static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Val, (Tensor X, Tensor Y) Test) Split(long seed = 42)
    {
        var (x, y) = Rows.Value;
        var n = y.Length;
        var all = (tensor(x).reshape(n, 64) / 16.0f, tensor(y));
        using var generator = new Generator((ulong)seed);
        var order = randperm(n, generator: generator);
        var trainEnd = (int)(n * 0.7);
        var valEnd = (int)(n * 0.85);
        (Tensor, Tensor) Take(long start, long length)
        {
            var index = order.narrow(0, start, length);
            return (all.Item1.index_select(0, index), all.Item2.index_select(0, index));
        }
        return (Take(0, trainEnd), Take(trainEnd, valEnd - trainEnd), Take(valEnd, n - valEnd));
    }

    private static (float[] X, long[] Y) Load()
    {
        using var file = File.OpenRead(Path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var x = new List<float>();
        var y = new List<long>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            for (var i = 0; i < 64; i++) x.Add(float.Parse(cells[i], CultureInfo.InvariantCulture));
            y.Add((long)float.Parse(cells[64], CultureInfo.InvariantCulture));
        }
        return (x.ToArray(), y.ToArray());
    }
}
