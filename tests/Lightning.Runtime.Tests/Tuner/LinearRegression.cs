using System.Runtime.InteropServices;
using Lightning.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests.Tuner;

/// <summary>
/// Least squares without noise on fixed data whose features are orthogonal with mean square 1, trained with plain SGD:
/// the loss's Hessian is 2XᵀX/n = 2I, so full-batch gradient descent converges in one step at rate 1/2
/// (<see cref="BestRate"/>) and diverges above 1 (<see cref="DivergenceLimit"/>). The loaders read
/// <see cref="BatchSize"/>; a batch above <see cref="MemoryLimit"/> rows fails as LibTorch fails when memory runs out.
/// </summary>
internal sealed class LinearRegression : LightningModule<(Tensor X, Tensor Y)>
{
    private readonly Tensor _x;
    private readonly Tensor _y;

    public LinearRegression(int rows = 256, int features = 4)
    {
        Layer = Linear(features, 1, hasBias: false);
        RegisterComponents();
        using var generator = new Generator(7);
        using var random = randn(rows, features, generator: generator);
        var (q, r) = linalg.qr(random);
        r.Dispose();
        _x = q * Math.Sqrt(rows);
        q.Dispose();
        _y = _x.matmul(arange(1, features + 1, dtype: float32).unsqueeze(1));
    }

    public Linear Layer { get; }

    public double LearningRate { get; set; } = 0.01;

    public int BatchSize { get; set; } = 256;

    public int? MemoryLimit { get; init; }

    /// <summary>The row count of each training batch, in order.</summary>
    public List<long> BatchRows { get; } = [];

    /// <summary>The rate at which one full-batch step of gradient descent reaches the minimum.</summary>
    public const double BestRate = 0.5;

    /// <summary>The rate above which full-batch gradient descent diverges on this data.</summary>
    public const double DivergenceLimit = 1.0;

    /// <summary>A quiet trainer limited by steps alone (one batch is one epoch here), with <paramref name="callbacks"/>.</summary>
    public static Trainer QuietTrainer(int maxSteps = -1, params Callback[] callbacks)
    {
        var options = Quiet.Options();
        options.MaxEpochs = null;
        options.MaxSteps = maxSteps;
        options.Callbacks.AddRange(callbacks);
        return new Trainer(options);
    }

    public Tensor forward(Tensor x) => Layer.forward(x);

    public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        BatchRows.Add(batch.X.shape[0]);
        if (batch.X.shape[0] > MemoryLimit)
            throw new ExternalException($"CUDA out of memory. Tried to allocate {batch.X.shape[0]} rows.");
        return functional.mse_loss(forward(batch.X), batch.Y);
    }

    public override IEnumerable<(Tensor X, Tensor Y)> TrainDataLoader() => new TensorDataLoader(_x, _y, BatchSize);

    public override OptimizerConfig? ConfigureOptimizers() => optim.SGD(parameters(), LearningRate);

    public List<Tensor> Snapshot() => parameters().Select(p => p.detach().clone()).ToList();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _x.Dispose();
            _y.Dispose();
        }
        base.Dispose(disposing);
    }
}
