using System.Globalization;
using Lightning;
using static TorchSharp.torch;

namespace Flowers;

/// <summary>
/// Examples from a CSV file with a header row: every column but <c>labelColumn</c> is a numeric feature, and
/// <c>labelColumn</c> holds class names. The file is read when the module is built, so that its sizes
/// (<see cref="InputSize"/>, <see cref="NumClasses"/>) reach the model's parameters of the same name. Features are
/// standardized with the training set's mean and spread; the rows are split into training, validation and test
/// sets with a fixed seed.
/// </summary>
public sealed class CsvDataModule : LightningDataModule<(Tensor X, Tensor Y)>
{
    private readonly float[] _features;
    private readonly long[] _labels;
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
        if (valFraction + testFraction >= 1.0)
            throw new ArgumentException(FormattableString.Invariant($"valFraction ({valFraction}) + testFraction ({testFraction}) must be under 1, to leave rows for training."));
        Path = path;
        LabelColumn = labelColumn;
        BatchSize = batchSize;
        ValFraction = valFraction;
        TestFraction = testFraction;
        SplitSeed = splitSeed;
        (_features, _labels) = Read();
        SaveHyperparameters();
    }

    public string Path { get; }

    public string LabelColumn { get; }

    public int BatchSize { get; set; }

    public double ValFraction { get; }

    public double TestFraction { get; }

    public long SplitSeed { get; }

    /// <summary>The number of feature columns: every column but the label.</summary>
    public int InputSize { get; private set; }

    /// <summary>The number of distinct labels.</summary>
    public int NumClasses => Classes.Count;

    /// <summary>The class names in label order.</summary>
    public IReadOnlyList<string> Classes { get; private set; } = [];

    public override void Setup(Stage stage)
    {
        if (_loaded) return;
        var x = tensor(_features).reshape(_labels.Length, InputSize);
        var (train, val, test) = DataSplits.Split(x, tensor(_labels), ValFraction, TestFraction, SplitSeed);
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

    private (float[] Features, long[] Labels) Read()
    {
        var file = System.IO.Path.Combine(AppContext.BaseDirectory, Path);
        if (!File.Exists(file)) file = Path;
        var lines = File.ReadAllLines(file).Where(l => l.Length > 0).ToList();
        if (lines.Count < 2) throw new InvalidDataException($"{Path} needs a header row and at least one row of data.");
        var header = lines[0].Split(',');
        var labelIndex = Array.IndexOf(header, LabelColumn);
        if (labelIndex < 0)
            throw new InvalidDataException($"{Path} has no column '{LabelColumn}'; its columns are {string.Join(", ", header)}.");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var features = new List<float>(rows.Count * (header.Length - 1));
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r].Length != header.Length)
                throw new InvalidDataException($"{Path}, row {r + 2}: {rows[r].Length} values where the header names {header.Length} columns.");
            for (var c = 0; c < header.Length; c++)
            {
                if (c == labelIndex) continue;
                if (!float.TryParse(rows[r][c], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    throw new InvalidDataException($"{Path}, row {r + 2}, column '{header[c]}': '{rows[r][c]}' is not a number.");
                features.Add(value);
            }
        }
        var classes = rows.Select(r => r[labelIndex]).Distinct().Order(StringComparer.Ordinal).ToList();
        Classes = classes;
        InputSize = header.Length - 1;
        return (features.ToArray(), rows.Select(r => (long)classes.IndexOf(r[labelIndex])).ToArray());
    }
}
