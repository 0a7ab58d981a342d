using System.CommandLine;

namespace Lightning.Tool.Datasets;

/// <summary><c>add-dataset csv</c>: rows of a CSV file, features and label chosen by name or index.</summary>
internal sealed class CsvDataset : DatasetKind
{
    private readonly Option<string> _path = DatasetOptions.Path("data/data.csv", "The CSV file, relative to where the program runs.");
    private readonly Option<string?> _label = new("--label") { Description = "The label column, by name or 0-based index. Default: the last column.", HelpName = "name|index" };
    private readonly Option<string?> _features = new("--features") { Description = "The feature columns, by name or index, comma-separated. Default: every column but the label.", HelpName = "a,b,c" };
    private readonly Option<string> _header = new("--header") { Description = "Whether the first row names the columns; auto: yes when one of its cells is not a number.", DefaultValueFactory = _ => "auto" };
    private readonly Option<char> _delimiter = new("--delimiter") { Description = "The character between cells.", DefaultValueFactory = _ => ',' };
    private readonly Option<bool> _noStandardize = new("--no-standardize") { Description = "Keep the features as they are instead of scaling each to mean 0 and standard deviation 1 (with the training rows' statistics)." };
    private readonly Option<double> _val = DatasetOptions.Fraction("--val-fraction", 0.15, "validation");
    private readonly Option<double> _test = DatasetOptions.Fraction("--test-fraction", 0.15, "testing");
    private readonly Option<int> _batchSize = DatasetOptions.BatchSize(32);
    private readonly Option<int> _seed = DatasetOptions.Seed();

    /// <summary>Creates the kind and its options.</summary>
    public CsvDataset() => _header.AcceptOnlyFromAmong("auto", "yes", "no");

    /// <inheritdoc />
    public override string Name => "csv";

    /// <inheritdoc />
    public override string Help => "Rows of a CSV file: header detection, feature and label columns by name or index, train/val/test split, standardisation.";

    /// <inheritdoc />
    public override string DefaultClassName => "CsvDataModule";

    /// <inheritdoc />
    public override string Template => "Csv";

    /// <inheritdoc />
    public override IReadOnlyList<Option> Options => [_path, _label, _features, _header, _delimiter, _noStandardize, _val, _test, _batchSize, _seed];

    /// <inheritdoc />
    public override Dictionary<string, object?> Variables(ParseResult parse)
    {
        var (val, test) = (parse.GetValue(_val), parse.GetValue(_test));
        EnsureTrainingRemains(val, test);
        var features = parse.GetValue(_features)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new()
        {
            ["path"] = CSharpLiteral.Of(parse.GetValue(_path)),
            ["label"] = CSharpLiteral.Of(parse.GetValue(_label)),
            ["features"] = CSharpLiteral.Of(features),
            ["header"] = parse.GetValue(_header) switch { "yes" => "true", "no" => "false", _ => "null" },
            ["delimiter"] = CSharpLiteral.Of(parse.GetValue(_delimiter)),
            ["standardize"] = CSharpLiteral.Of(!parse.GetValue(_noStandardize)),
            ["val_fraction"] = CSharpLiteral.Of(val),
            ["test_fraction"] = CSharpLiteral.Of(test),
            ["batch_size"] = CSharpLiteral.Of(parse.GetValue(_batchSize)),
            ["seed"] = CSharpLiteral.Of(parse.GetValue(_seed)),
        };
    }
}
