using static TorchSharp.torch;

namespace Flowers;

/// <summary>Splits examples into training, validation and test sets, the same way for the same seed.</summary>
public static class DataSplits
{
    public static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Val, (Tensor X, Tensor Y) Test) Split(
        Tensor x, Tensor y, double valFraction, double testFraction, long seed)
    {
        var rows = x.shape[0];
        var valRows = (long)(rows * valFraction);
        var testRows = (long)(rows * testFraction);
        using var generator = new Generator((ulong)seed);
        var order = randperm(rows, generator: generator);
        (Tensor X, Tensor Y) Take(long start, long length)
        {
            var index = order.narrow(0, start, length);
            return (x.index_select(0, index), y.index_select(0, index));
        }
        return (Take(0, rows - valRows - testRows), Take(rows - valRows - testRows, valRows), Take(rows - testRows, testRows));
    }
}
