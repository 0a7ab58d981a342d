using System.CommandLine;

namespace Lightning.Tool.Datasets;

/// <summary><c>add-dataset tensor</c>: feature and label tensors in memory, or from a <c>.pt</c> or safetensors file.</summary>
internal sealed class TensorDataset : DatasetKind
{
    private readonly Option<string> _path = DatasetOptions.Path("data/tensors.safetensors", "The file holding the tensors: .safetensors, or .pt / .pth as saved by torch.save of a dict of tensors.");
    private readonly Option<string> _xKey = new("--x-key") { Description = "The name of the feature tensor in the file.", DefaultValueFactory = _ => "x" };
    private readonly Option<string> _yKey = new("--y-key") { Description = "The name of the label tensor in the file.", DefaultValueFactory = _ => "y" };
    private readonly Option<double> _val = DatasetOptions.Fraction("--val-fraction", 0.15, "validation");
    private readonly Option<double> _test = DatasetOptions.Fraction("--test-fraction", 0.15, "testing");
    private readonly Option<int> _batchSize = DatasetOptions.BatchSize(32);
    private readonly Option<int> _seed = DatasetOptions.Seed();

    /// <inheritdoc />
    public override string Name => "tensor";

    /// <inheritdoc />
    public override string Help => "Feature and label tensors, in memory or from a .pt or .safetensors file (via TorchSharp.PyBridge).";

    /// <inheritdoc />
    public override string DefaultClassName => "TensorDataModule";

    /// <inheritdoc />
    public override string Template => "Tensor";

    /// <inheritdoc />
    public override IReadOnlyList<string> Usings => ["System.Collections", "Lightning", "TorchSharp", "TorchSharp.PyBridge", "static TorchSharp.torch"];

    /// <inheritdoc />
    public override IReadOnlyList<PackageRequirement> Packages => [PackageVersions.Of("TorchSharp.PyBridge")];

    /// <inheritdoc />
    public override IReadOnlyList<Option> Options => [_path, _xKey, _yKey, _val, _test, _batchSize, _seed];

    /// <inheritdoc />
    public override Dictionary<string, object?> Variables(ParseResult parse)
    {
        var (val, test) = (parse.GetValue(_val), parse.GetValue(_test));
        EnsureTrainingRemains(val, test);
        return new()
        {
            ["path"] = CSharpLiteral.Of(parse.GetValue(_path)),
            ["x_key"] = CSharpLiteral.Of(parse.GetValue(_xKey)),
            ["y_key"] = CSharpLiteral.Of(parse.GetValue(_yKey)),
            ["val_fraction"] = CSharpLiteral.Of(val),
            ["test_fraction"] = CSharpLiteral.Of(test),
            ["batch_size"] = CSharpLiteral.Of(parse.GetValue(_batchSize)),
            ["seed"] = CSharpLiteral.Of(parse.GetValue(_seed)),
        };
    }
}
