using System.Globalization;
using Lightning;
using static TorchSharp.torch;

namespace Flowers;

/// <summary>
/// Examples from a CSV file with a header row: every column but <c>labelColumn</c> is a numeric feature, and
/// <c>labelColumn</c> holds class names. Features are standardized with the training set's mean and spread;
/// the rows are split into training, validation and test sets with a fixed seed.
/// </summary>
public sealed class CsvDataModule : LightningDataModule<(Tensor X, Tensor Y)>
{
    private (Tensor X, Tensor Y) _train;
    private (Tensor X, Tensor Y) _val;
    private (Tensor X, Tensor Y) _test;
    private bool _loaded;

    public CsvDataModule(string path = "Data/iris.csv", string labelColumn = "species", int batchSize = 16,
        double valFraction = 0.15, double testFraction = 0.15, long splitSeed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(valFraction);
        ArgumentOutOfRangeException.ThrowIfNegative(testFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(valFraction + testFraction, 1.0, nameof(testFraction));
        Path = path;
        LabelColumn = labelColumn;
        BatchSize = batchSize;
        ValFraction = valFraction;
        TestFraction = testFraction;
        SplitSeed = splitSeed;
        SaveHyperparameters();
    }

    public string Path { get; }

    public string LabelColumn { get; }

    public int BatchSize { get; }

    public double ValFraction { get; }

    public double TestFraction { get; }

    public long SplitSeed { get; }

    /// <summary>The class names in label order, known after <see cref="Setup"/>.</summary>
    public IReadOnlyList<string> Classes { get; private set; } = [];

    public override void Setup(Stage stage)
    {
        if (_loaded) return;
        var (x, y) = Load();
        var (train, val, test) = DataSplits.Split(x, y, ValFraction, TestFraction, SplitSeed);
        var mean = train.X.mean([0]);
        var std = train.X.std(0).clamp_min(1e-6);
        _train = ((train.X - mean) / std, train.Y);
        _val = ((val.X - mean) / std, val.Y);
        _test = ((test.X - mean) / std, test.Y);
        _loaded = true;
    }

    public override IEnumerable<(Tensor X, Tensor Y)>? TrainDataLoader() => new TensorDataLoader(_train.X, _train.Y, BatchSize, shuffle: true);

    public override IEnumerable<(Tensor X, Tensor Y)>? ValDataLoader() => new TensorDataLoader(_val.X, _val.Y, BatchSize);

    public override IEnumerable<(Tensor X, Tensor Y)>? TestDataLoader() => new TensorDataLoader(_test.X, _test.Y, BatchSize);

    public override IEnumerable<(Tensor X, Tensor Y)>? PredictDataLoader() => new TensorDataLoader(_test.X, _test.Y, BatchSize);

    private (Tensor X, Tensor Y) Load()
    {
        var file = System.IO.Path.Combine(AppContext.BaseDirectory, Path);
        if (!File.Exists(file)) file = Path;
        var lines = File.ReadAllLines(file).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split(',');
        var labelIndex = Array.IndexOf(header, LabelColumn);
        if (labelIndex < 0)
            throw new InvalidOperationException($"{Path} has no column '{LabelColumn}'; its columns are {string.Join(", ", header)}.");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var classes = rows.Select(r => r[labelIndex]).Distinct().Order(StringComparer.Ordinal).ToList();
        var features = rows.SelectMany(r => r.Where((_, i) => i != labelIndex).Select(c => float.Parse(c, CultureInfo.InvariantCulture))).ToArray();
        var labels = rows.Select(r => (long)classes.IndexOf(r[labelIndex])).ToArray();
        Classes = classes;
        return (tensor(features).reshape(rows.Count, header.Length - 1), tensor(labels));
    }
}
