using static TorchSharp.torch;

namespace Lightning.Tests.Cli;

/// <summary>Random rows y = sum(x); its constructor parameters become --data.* options, its <see cref="InputSize"/> feeds --model.input-size.</summary>
internal sealed class RandomRegressionData(int batchSize = 8, int rows = 32, int features = 4) : LightningDataModule<(Tensor X, Tensor Y)>
{
    private Tensor? _x;
    private Tensor? _y;

    public int InputSize => features;

    // A check over two parameters, as data modules make: the CLI must name both options. Settable for --tune batch-size.
    public int BatchSize { get; set; } = batchSize <= rows ? batchSize : throw new ArgumentException($"batchSize ({batchSize}) must not exceed rows ({rows}).");

    public override void Setup(Stage stage)
    {
        _x ??= rand(rows, features);
        _y ??= _x.sum(1, keepdim: true);
    }

    public override IEnumerable<(Tensor X, Tensor Y)>? TrainDataLoader() => new TensorDataLoader(_x!, _y!, BatchSize, shuffle: true);

    public override IEnumerable<(Tensor X, Tensor Y)>? TestDataLoader() => new TensorDataLoader(_x!, _y!, BatchSize);

    public override IEnumerable<(Tensor X, Tensor Y)>? PredictDataLoader() => new TensorDataLoader(_x!, _y!, BatchSize);
}
