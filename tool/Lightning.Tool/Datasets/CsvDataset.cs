using System.CommandLine;

namespace Lightning.Tool.Datasets;

/// <summary><c>add-dataset csv</c>: rows of a CSV file, features and label chosen by name or index.</summary>
internal sealed class CsvDataset : DatasetKind
{
    private readonly Option<string> _path = DatasetOptions.Path("data/data.csv", "The CSV file, relative to where the program runs.");
    private readonly Option<string?> _label = new("--label") { Description = "The label column, by name or 0-based index. Default: the last column.", HelpName = "name|index" };
    private readonly Option<string?> _features = new("--features") { Description = "The feature columns, by name or index, comma-separated. Default: every column but the label.", HelpName = "a,b,c" };
    private readonly Option<string> _header = new("--header") { Description = "Whether the first row names the columns; auto: yes when one of its cells is not a number.", DefaultValueFactory = _ => "auto" };
    private readonly Option<string> _delimiter = new("--delimiter") { Description = "The character between cells (quote it in the shell: ';'), or tab.", DefaultValueFactory = _ => ",", HelpName = "char|tab" };
    private readonly Option<string> _missing = new("--missing") { Description = "What a missing cell (empty, NA, N/A, NaN, null or ?) does: error stops, skip drops its row, mean fills a feature with the training rows' mean.", DefaultValueFactory = _ => "error" };
    private readonly Option<bool> _noStandardize = new("--no-standardize") { Description = "Keep the features as they are instead of scaling each to mean 0 and standard deviation 1 (with the training rows' statistics)." };
    private readonly Option<double> _val = DatasetOptions.Fraction("--val-fraction", 0.15, "validation");
    private readonly Option<double> _test = DatasetOptions.Fraction("--test-fraction", 0.15, "testing");
    private readonly Option<int> _batchSize = DatasetOptions.BatchSize(32);
    private readonly Option<int> _seed = DatasetOptions.Seed();

    /// <summary>Creates the kind and its options.</summary>
    public CsvDataset()
    {
        _header.AcceptOnlyFromAmong("auto", "yes", "no");
        _missing.AcceptOnlyFromAmong("error", "skip", "mean");
        _delimiter.Validators.Add(r =>
        {
            if (CsvDelimiter.Problem(r.GetValueOrDefault<string>()) is { } problem) r.AddError(problem);
        });
    }

    /// <inheritdoc />
    public override string Name => "csv";

    /// <inheritdoc />
    public override string Help => "Rows of a CSV file: header detection, feature and label columns by name or index, train/val/test split, standardisation.";

    /// <inheritdoc />
    public override string DefaultClassName => "CsvDataModule";

    /// <inheritdoc />
    public override string Template => "Csv";

    /// <inheritdoc />
    public override IReadOnlyList<string> Usings => ["System.Globalization", "Lightning", "nietras.SeparatedValues", "TorchSharp", "static TorchSharp.torch"];

    /// <inheritdoc />
    public override IReadOnlyList<PackageRequirement> Packages => [PackageVersions.Of("Sep")];

    /// <inheritdoc />
    public override IReadOnlyList<Option> Options => [_path, _label, _features, _header, _delimiter, _missing, _noStandardize, _val, _test, _batchSize, _seed];

    /// <inheritdoc />
    public override string? Inspect(ParseResult parse, string projectDirectory)
    {
        var path = parse.GetValue(_path)!;
        var full = System.IO.Path.GetFullPath(path, projectDirectory);
        if (!File.Exists(full)) return $"{path} is not there yet (from {projectDirectory}); the data module reads it when it runs.";
        var header = parse.GetValue(_header) switch { "yes" => true, "no" => false, _ => (bool?)null };
        var features = parse.GetValue(_features)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return CsvInspection.Read(full, path, CsvDelimiter.Parse(parse.GetValue(_delimiter))!.Value, header, parse.GetValue(_label), features, parse.GetValue(_missing)!);
    }

    /// <inheritdoc />
    public override Dictionary<string, object?> Variables(ParseResult parse)
    {
        var (val, test) = (parse.GetValue(_val), parse.GetValue(_test));
        EnsureTrainingRemains(val, test);
        var features = parse.GetValue(_features)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // A comma-separated string rather than an array: a default parameter value must be a constant (CS1736), and LightningCli sets strings.
        return new()
        {
            ["path"] = CSharpLiteral.Of(parse.GetValue(_path)),
            ["label"] = CSharpLiteral.Of(parse.GetValue(_label)),
            ["features"] = CSharpLiteral.Of(features is null ? null : string.Join(",", features)),
            ["header"] = parse.GetValue(_header) switch { "yes" => "true", "no" => "false", _ => "null" },
            ["delimiter"] = CSharpLiteral.Of(parse.GetValue(_delimiter)),
            ["missing"] = CSharpLiteral.Of(parse.GetValue(_missing)),
            ["standardize"] = CSharpLiteral.Of(!parse.GetValue(_noStandardize)),
            ["val_fraction"] = CSharpLiteral.Of(val),
            ["test_fraction"] = CSharpLiteral.Of(test),
            ["batch_size"] = CSharpLiteral.Of(parse.GetValue(_batchSize)),
            ["seed"] = CSharpLiteral.Of(parse.GetValue(_seed)),
        };
    }
}
