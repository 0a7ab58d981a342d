using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Tests.Support;

/// <summary>Small seeded random regression and classification data.</summary>
internal static class RandomData
{
    /// <summary>A list of <paramref name="batches"/> batches of (x: [size, features], y: [size]) class labels.</summary>
    public static List<(Tensor X, Tensor Y)> Batches(int batches, int size = 4, int features = 8, int classes = 2, long seed = 0)
    {
        using var generator = new Generator((ulong)seed);
        return Enumerable.Range(0, batches)
            .Select(_ => (randn([size, features], generator: generator), randint(0, classes, [size], generator: generator)))
            .ToList();
    }

    /// <summary>Rows of classification data as two tensors, for loaders that batch themselves.</summary>
    public static (Tensor X, Tensor Y) Rows(int rows, int features = 8, int classes = 2, long seed = 0)
    {
        using var generator = new Generator((ulong)seed);
        return (randn([rows, features], generator: generator), randint(0, classes, [rows], generator: generator));
    }
}
