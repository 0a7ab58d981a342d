using System.Globalization;
using System.IO.Compression;
using Lightning;
using static TorchSharp.torch;

namespace LightningNamespace;

/// <summary>
/// The 8x8 handwritten digits (1797 images, 64 pixels 0..16 then the label) embedded in this project,
/// split into training, validation and test sets with a fixed seed.
/// </summary>
public sealed class DigitsDataModule : LightningDataModule<(Tensor X, Tensor Y)>
{
    private const int Pixels = 64;

    private (Tensor X, Tensor Y) _train;
    private (Tensor X, Tensor Y) _val;
    private (Tensor X, Tensor Y) _test;
    private bool _loaded;

    public DigitsDataModule(int batchSize = 32, double valFraction = 0.15, double testFraction = 0.15, long splitSeed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(valFraction);
        ArgumentOutOfRangeException.ThrowIfNegative(testFraction);
        if (valFraction + testFraction >= 1.0)
            throw new ArgumentException(FormattableString.Invariant($"valFraction ({valFraction}) + testFraction ({testFraction}) must be under 1, to leave rows for training."));
        BatchSize = batchSize;
        ValFraction = valFraction;
        TestFraction = testFraction;
        SplitSeed = splitSeed;
        SaveHyperparameters();
    }

    public int BatchSize { get; set; }

    public double ValFraction { get; }

    public double TestFraction { get; }

    public long SplitSeed { get; }

    /// <summary>The pixels of an image, which the model's <c>inputSize</c> takes.</summary>
    public int InputSize => Pixels;

    /// <summary>The digits 0 to 9, which the model's <c>numClasses</c> takes.</summary>
    public int NumClasses => 10;

    public override void Setup(Stage stage)
    {
        if (_loaded) return;
        var (x, y) = Load();
        (_train, _val, _test) = DataSplits.Split(x, y, ValFraction, TestFraction, SplitSeed);
        _loaded = true;
    }

    public override IEnumerable<(Tensor X, Tensor Y)>? TrainDataLoader() => new TensorDataLoader(_train.X, _train.Y, BatchSize, shuffle: true);

    public override IEnumerable<(Tensor X, Tensor Y)>? ValDataLoader() => new TensorDataLoader(_val.X, _val.Y, BatchSize);

    public override IEnumerable<(Tensor X, Tensor Y)>? TestDataLoader() => new TensorDataLoader(_test.X, _test.Y, BatchSize);

    public override IEnumerable<(Tensor X, Tensor Y)>? PredictDataLoader() => new TensorDataLoader(_test.X, _test.Y, BatchSize);

    private static (Tensor X, Tensor Y) Load()
    {
        using var resource = typeof(DigitsDataModule).Assembly.GetManifestResourceStream("digits.csv.gz")
            ?? throw new InvalidOperationException("The embedded resource digits.csv.gz is missing; the project file embeds Data/digits.csv.gz.");
        using var reader = new StreamReader(new GZipStream(resource, CompressionMode.Decompress));
        var pixels = new List<float>();
        var labels = new List<long>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var cells = line.Split(',');
            pixels.AddRange(cells.Take(Pixels).Select(c => float.Parse(c, CultureInfo.InvariantCulture) / 16f));
            labels.Add(long.Parse(cells[Pixels], NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        return (tensor(pixels.ToArray()).reshape(labels.Count, Pixels), tensor(labels.ToArray()));
    }
}
