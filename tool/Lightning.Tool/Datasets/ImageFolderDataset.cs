using System.CommandLine;

namespace Lightning.Tool.Datasets;

/// <summary><c>add-dataset image-folder</c>: one sub-folder of images per class, decoded and resized with SkiaSharp.</summary>
internal sealed class ImageFolderDataset : DatasetKind
{
    private readonly Option<string> _path = DatasetOptions.Path("data/images", "The folder with one sub-folder of images per class.");
    private readonly Option<int> _size = DatasetOptions.WholeNumber("--image-size", "Images are resized to this width and height.", 64, minimum: 1);
    private readonly Option<bool> _grayscale = new("--grayscale") { Description = "Yield one grey channel instead of three colour channels." };
    private readonly Option<bool> _flatten = new("--flatten") { Description = "Yield images as rows of values [N, channels*size*size] (for a multilayer perceptron such as the lightning-classifier template's) instead of [N, channels, size, size]." };
    private readonly Option<double> _val = DatasetOptions.Fraction("--val-fraction", 0.15, "validation");
    private readonly Option<double> _test = DatasetOptions.Fraction("--test-fraction", 0.15, "testing");
    private readonly Option<int> _batchSize = DatasetOptions.BatchSize(32);
    private readonly Option<int> _seed = DatasetOptions.Seed();

    // The files the generated code decodes, as its Extensions list has them.
    private const string Extensions = "PNG, JPG, JPEG, BMP, GIF, WEBP";

    /// <inheritdoc />
    public override string Name => "image-folder";

    /// <inheritdoc />
    public override string Help => "Images in one sub-folder per class (PNG, JPEG, BMP, GIF, WebP), decoded with SkiaSharp and resized.";

    /// <inheritdoc />
    public override string DefaultClassName => "ImageFolderDataModule";

    /// <inheritdoc />
    public override string Template => "ImageFolder";

    /// <inheritdoc />
    public override IReadOnlyList<string> Usings => ["Lightning", "SkiaSharp", "TorchSharp", "static TorchSharp.torch"];

    /// <inheritdoc />
    public override IReadOnlyList<PackageRequirement> Packages => [PackageVersions.Of("SkiaSharp"), PackageVersions.Of("SkiaSharp.NativeAssets.Linux.NoDependencies")];

    /// <inheritdoc />
    public override IReadOnlyList<Option> Options => [_path, _size, _grayscale, _flatten, _val, _test, _batchSize, _seed];

    /// <inheritdoc />
    public override string? Inspect(ParseResult parse, string projectDirectory)
    {
        var path = parse.GetValue(_path)!;
        var full = System.IO.Path.GetFullPath(path, projectDirectory);
        if (!Directory.Exists(full)) return $"{path} is not there yet (from {projectDirectory}); the data module reads it when it runs.";
        string[] extensions = [.. Extensions.Split(", ").Select(e => "." + e.ToLowerInvariant())];
        var classes = Directory.GetDirectories(full).Order(StringComparer.Ordinal)
            .Select(d => (Name: System.IO.Path.GetFileName(d), Images: Directory.EnumerateFiles(d).Count(f => extensions.Contains(System.IO.Path.GetExtension(f).ToLowerInvariant()))))
            .Where(c => c.Images > 0)
            .ToList();
        if (classes.Count == 0)
            return $"{path} has no sub-folder holding images yet: the data module wants one sub-folder per class, each with its images ({Extensions}).";
        var names = classes.Count <= 6 ? string.Join(", ", classes.Select(c => c.Name)) : string.Join(", ", classes.Take(5).Select(c => c.Name)) + ", ...";
        return $"Found {path}: {classes.Count} classes ({names}), {classes.Sum(c => c.Images)} images ({classes.Min(c => c.Images)} to {classes.Max(c => c.Images)} per class).";
    }

    /// <inheritdoc />
    public override Dictionary<string, object?> Variables(ParseResult parse)
    {
        var (val, test) = (parse.GetValue(_val), parse.GetValue(_test));
        EnsureTrainingRemains(val, test);
        return new()
        {
            ["path"] = CSharpLiteral.Of(parse.GetValue(_path)),
            ["image_size"] = CSharpLiteral.Of(parse.GetValue(_size)),
            ["grayscale"] = CSharpLiteral.Of(parse.GetValue(_grayscale)),
            ["flatten"] = CSharpLiteral.Of(parse.GetValue(_flatten)),
            ["val_fraction"] = CSharpLiteral.Of(val),
            ["test_fraction"] = CSharpLiteral.Of(test),
            ["batch_size"] = CSharpLiteral.Of(parse.GetValue(_batchSize)),
            ["seed"] = CSharpLiteral.Of(parse.GetValue(_seed)),
        };
    }
}
