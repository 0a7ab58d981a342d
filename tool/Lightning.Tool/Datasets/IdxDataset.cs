using System.CommandLine;

namespace Lightning.Tool.Datasets;

/// <summary><c>add-dataset idx</c>: MNIST and Fashion-MNIST IDX files, gzip-compressed or not.</summary>
internal sealed class IdxDataset : DatasetKind
{
    private readonly Option<string> _folder = new("--folder") { Description = "The folder holding the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally .gz).", DefaultValueFactory = _ => "data/mnist", HelpName = "path" };
    private readonly Option<bool> _flatten = new("--flatten") { Description = "Yield images as rows of pixels [N, height*width] (for a multilayer perceptron) instead of [N, 1, height, width]." };
    private readonly Option<double> _val = DatasetOptions.Fraction("--val-fraction", 0.1, "validation, taken from the training files");
    private readonly Option<int> _batchSize = DatasetOptions.BatchSize(64);
    private readonly Option<int> _seed = DatasetOptions.Seed();

    // MNIST's file names, the generated constructor's defaults.
    private static readonly string[] Files = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <inheritdoc />
    public override string Name => "idx";

    /// <inheritdoc />
    public override string Help => "MNIST / Fashion-MNIST IDX files (.gz or not): 28x28 grey images and their labels.";

    /// <inheritdoc />
    public override string DefaultClassName => "MnistDataModule";

    /// <inheritdoc />
    public override string Template => "Idx";

    /// <inheritdoc />
    public override IReadOnlyList<string> Usings => ["Lightning", "TorchSharp", "static TorchSharp.torch"];

    /// <inheritdoc />
    public override IReadOnlyList<Option> Options => [_folder, _flatten, _val, _batchSize, _seed];

    /// <inheritdoc />
    public override string? Inspect(ParseResult parse, string projectDirectory)
    {
        var folder = parse.GetValue(_folder)!;
        var full = System.IO.Path.GetFullPath(folder, projectDirectory);
        if (!Directory.Exists(full)) return $"{folder} is not there yet (from {projectDirectory}); the data module reads it when it runs.";
        var missing = Files.Where(f => !File.Exists(System.IO.Path.Combine(full, f)) && !File.Exists(System.IO.Path.Combine(full, f + ".gz"))).ToList();
        return missing.Count == 0
            ? $"Found {folder}: the four IDX files (training and t10k images and labels)."
            : $"{folder} lacks {string.Join(", ", missing)} (each may end in .gz); the data module needs all four, or pass its constructor other file names.";
    }

    /// <inheritdoc />
    public override Dictionary<string, object?> Variables(ParseResult parse) => new()
    {
        ["folder"] = CSharpLiteral.Of(parse.GetValue(_folder)),
        ["flatten"] = CSharpLiteral.Of(parse.GetValue(_flatten)),
        ["val_fraction"] = CSharpLiteral.Of(parse.GetValue(_val)),
        ["batch_size"] = CSharpLiteral.Of(parse.GetValue(_batchSize)),
        ["seed"] = CSharpLiteral.Of(parse.GetValue(_seed)),
        ["train_images"] = CSharpLiteral.Of(Files[0]),
        ["train_labels"] = CSharpLiteral.Of(Files[1]),
        ["test_images"] = CSharpLiteral.Of(Files[2]),
        ["test_labels"] = CSharpLiteral.Of(Files[3]),
    };
}
