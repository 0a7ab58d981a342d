using Lightning;
using static TorchSharp.torch;

namespace LightningNamespace;

/// <summary>A LightningDataModule: how to get, split and batch one data set, in one reusable class.</summary>
public sealed class LightningItem : LightningDataModule<(Tensor X, Tensor Y)>
{
    private (Tensor X, Tensor Y) _train;
    private (Tensor X, Tensor Y) _val;
    private bool _loaded;

    public LightningItem(int batchSize = 32, double valFraction = 0.2, long splitSeed = 42)
    {
        BatchSize = batchSize;
        ValFraction = valFraction;
        SplitSeed = splitSeed;
        SaveHyperparameters();
    }

    public int BatchSize { get; }

    public double ValFraction { get; }

    public long SplitSeed { get; }

    // Download or write files here; it runs once, before Setup.
    public override void PrepareData()
    {
    }

    public override void Setup(Stage stage)
    {
        if (_loaded) return;
        // Random examples stand in for your data: load the features into x and the labels into y instead.
        var x = randn(256, 8);
        var y = (x.sum(1) > 0).to(ScalarType.Int64);
        var valRows = (long)(x.shape[0] * ValFraction);
        using var generator = new Generator((ulong)SplitSeed);
        var order = randperm(x.shape[0], generator: generator);
        var trainIndex = order.narrow(0, valRows, x.shape[0] - valRows);
        var valIndex = order.narrow(0, 0, valRows);
        _train = (x.index_select(0, trainIndex), y.index_select(0, trainIndex));
        _val = (x.index_select(0, valIndex), y.index_select(0, valIndex));
        _loaded = true;
    }

    public override IEnumerable<(Tensor X, Tensor Y)>? TrainDataLoader() => new TensorDataLoader(_train.X, _train.Y, BatchSize, shuffle: true);

    public override IEnumerable<(Tensor X, Tensor Y)>? ValDataLoader() => new TensorDataLoader(_val.X, _val.Y, BatchSize);
}
