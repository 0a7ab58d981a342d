using System.Globalization;
using Lightning.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests;

/// <summary>
/// One rank of the data-parallel jobs <see cref="DdpTests"/> starts under mpirun (or alone, to start the others
/// itself). It fits <see cref="Mlp"/> and writes its final weights to <c>rank{r}.txt</c> in the folder it is given.
/// </summary>
internal static class DdpWorkerProcess
{
    /// <summary>Rows per batch on each rank; the one-process reference takes twice as many.</summary>
    public const int BatchPerRank = 4;

    /// <summary>Optimizer steps of every run.</summary>
    public const int Steps = 50;

    /// <summary>
    /// A small two-layer classifier, trained with momentum so that any difference in a step carries on, by TorchSharp's
    /// SGD or by the runtime's multi-tensor SGD, whose gradient buffers the all-reduce uses as they are.
    /// </summary>
    public sealed class Mlp : LightningModule<(Tensor X, Tensor Y)>
    {
        private readonly Module<Tensor, Tensor> _net = Sequential(Linear(8, 16), Tanh(), Linear(16, 2));
        private readonly bool _multiTensor;

        public Mlp(bool multiTensor = false)
        {
            _multiTensor = multiTensor;
            RegisterComponents();
        }

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) =>
            functional.cross_entropy(_net.forward(batch.X), batch.Y);

        public override OptimizerConfig? ConfigureOptimizers() =>
            _multiTensor ? new Optimizers.SGD(parameters(), 0.1, momentum: 0.9) : optim.SGD(parameters(), 0.1, momentum: 0.9);

        /// <summary>Every parameter value, in order.</summary>
        public double[] Weights() => parameters().SelectMany(p => p.detach().to(ScalarType.Float64).reshape(-1).data<double>().ToArray()).ToArray();
    }

    /// <summary>The data of a run with <paramref name="accumulate"/> batches per step: two ranks' batches for each of <see cref="Steps"/> steps.</summary>
    public static (Tensor X, Tensor Y) Data(int accumulate) => RandomData.Rows(2 * BatchPerRank * Steps * accumulate, seed: 7);

    /// <summary>Trainer options of every run, single-process reference included.</summary>
    public static TrainerOptions Options(string folder, int accumulate, string strategy, DeviceSelection devices = default) => new()
    {
        Strategy = strategy,
        Devices = devices,
        MaxEpochs = 1,
        AccumulateGradBatches = accumulate,
        DefaultRootDir = folder,
        EnableProgressBar = false,
        EnableModelSummary = false,
        EnableCheckpointing = false,
        Logger = false,
    };

    /// <summary>Writes <paramref name="weights"/>, one value a line, to <paramref name="path"/>.</summary>
    public static void WriteWeights(string path, double[] weights) =>
        File.WriteAllLines(path, weights.Select(w => w.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>Reads what <see cref="WriteWeights"/> wrote.</summary>
    public static double[] ReadWeights(string path) =>
        File.ReadAllLines(path).Select(line => double.Parse(line, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>
    /// One rank's run. With <paramref name="devices"/> above 1 and no launcher around it, the trainer starts the
    /// ranks itself under mpirun, and this process exits with the job's exit code when the Trainer is made.
    /// </summary>
    public static int Run(string folder, int accumulate, DeviceSelection devices, bool multiTensor)
    {
        var trainer = new Trainer(Options(folder, accumulate, "ddp", devices));
        // Each rank starts from other weights: only the broadcast from rank 0 makes them equal.
        manual_seed(1 + trainer.GlobalRank);
        using var model = new Mlp(multiTensor);
        var (x, y) = Data(accumulate);
        using var shard = arange(trainer.GlobalRank, x.shape[0], trainer.WorldSize);
        trainer.Fit(model, new TensorDataLoader(x.index_select(0, shard), y.index_select(0, shard), BatchPerRank));
        WriteWeights(Path.Combine(folder, $"rank{trainer.GlobalRank}.txt"), model.Weights());
        Console.WriteLine($"rank {trainer.GlobalRank} of {trainer.WorldSize} took {trainer.GlobalStep} steps");
        return 0;
    }
}
