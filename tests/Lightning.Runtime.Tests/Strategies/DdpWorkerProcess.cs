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

    /// <summary>The shuffling seed of every run's loader (not <c>Trainer.Seed</c>, which other tests in the same process set).</summary>
    public const long DataSeed = 11;

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

        /// <summary>The network's output for <paramref name="x"/>.</summary>
        public Tensor Logits(Tensor x) => _net.forward(x);

        public override OptimizerConfig? ConfigureOptimizers() =>
            _multiTensor ? new Optimizers.SGD(parameters(), 0.1, momentum: 0.9) : optim.SGD(parameters(), 0.1, momentum: 0.9);

        /// <summary>Every parameter value, in order.</summary>
        public double[] Weights() => parameters().SelectMany(p => p.detach().to(ScalarType.Float64).reshape(-1).data<double>().ToArray()).ToArray();
    }

    /// <summary>The most ranks a job of these tests has.</summary>
    public const int MostRanks = 4;

    /// <summary>The data of a run with <paramref name="accumulate"/> batches per step: enough for <see cref="Steps"/> steps of <see cref="MostRanks"/> ranks.</summary>
    public static (Tensor X, Tensor Y) Data(int accumulate) => RandomData.Rows(MostRanks * BatchPerRank * Steps * accumulate, seed: 7);

    /// <summary>Trainer options of every run, single-process reference included.</summary>
    public static TrainerOptions Options(string folder, int accumulate, string strategy, DeviceSelection devices = default) => new()
    {
        // The jobs reduce CPU tensors over MPI (an Apple GPU would be picked on a Mac otherwise).
        Accelerator = "cpu",
        Strategy = strategy,
        Devices = devices,
        MaxSteps = Steps,
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

    /// <summary>Runs the scenario the arguments name, as one rank.</summary>
    public static int Run(string[] arguments) => arguments switch
    {
        ["equivalence", var folder, var accumulate, var devices, var optimizer] =>
            Equivalence(folder, int.Parse(accumulate, CultureInfo.InvariantCulture), DeviceSelection.Parse(devices), optimizer == "multi-tensor"),
        ["rank-aware", var folder] => RankAware(folder),
        ["resume", var folder, var phase] => Resume(folder, phase),
        ["fail", var folder, var how] => Fail(folder, how),
        ["endless", var folder] => Endless(folder),
        ["evaluate", var folder] => Evaluate(folder),
        ["sync-batchnorm", var folder, var invoke] => SyncBatchnorm(folder, invoke == "forward"),
        _ => throw new ArgumentException($"Unknown ddp-worker arguments: {string.Join(' ', arguments)}"),
    };

    /// <summary>
    /// Fits <see cref="Mlp"/> and writes its weights. With <paramref name="devices"/> above 1 and no launcher around it,
    /// the trainer starts the ranks itself under mpirun, and this process exits with the job's exit code when the Trainer is made.
    /// </summary>
    private static int Equivalence(string folder, int accumulate, DeviceSelection devices, bool multiTensor)
    {
        var trainer = new Trainer(Options(folder, accumulate, "ddp", devices));
        // Each rank starts from other weights: only the broadcast from rank 0 makes them equal.
        manual_seed(1 + trainer.GlobalRank);
        using var model = new Mlp(multiTensor);
        var (x, y) = Data(accumulate);
        // The whole data set: the trainer gives each rank its shard of each epoch's shuffled order.
        trainer.Fit(model, new TensorDataLoader(x, y, BatchPerRank, shuffle: true, seed: DataSeed));
        WriteWeights(Path.Combine(folder, $"rank{trainer.GlobalRank}.txt"), model.Weights());
        Console.WriteLine($"rank {trainer.GlobalRank} of {trainer.WorldSize} took {trainer.GlobalStep} steps (local rank {trainer.LocalRank}, node {trainer.NodeRank})");
        return 0;
    }

    /// <summary>
    /// A fit with the default logger, checkpoints of the two best epochs and the last, and early stopping on a metric that
    /// only rank 1 sees worsen (at epoch <see cref="RankOneStopsAt"/>); it writes what it ended with to <c>rank{r}.txt</c>.
    /// </summary>
    private static int RankAware(string folder)
    {
        var trainer = new Trainer(new TrainerOptions
        {
            Accelerator = "cpu",
            Strategy = "ddp",
            MaxEpochs = 8,
            LimitTrainBatches = Steps,
            LimitValBatches = Steps,
            DefaultRootDir = folder,
            EnableProgressBar = false,
            EnableModelSummary = false,
            Callbacks = [new ModelCheckpoint(monitor: "val_loss", saveTopK: 2, saveLast: true), new EarlyStopping("signal", patience: 0)],
        });
        manual_seed(1);
        using var model = new RankAwareModel();
        var (x, y) = Data(1);
        trainer.Fit(model, new TensorDataLoader(x, y, BatchPerRank, shuffle: true, seed: DataSeed), new TensorDataLoader(x, y, BatchPerRank));
        using var gathered = model.AllGather(tensor(10.0 + trainer.GlobalRank));
        File.WriteAllLines(Path.Combine(folder, $"rank{trainer.GlobalRank}.txt"),
        [
            $"epoch={trainer.CurrentEpoch}",
            $"gathered={string.Join(';', gathered.data<double>().ToArray())}",
            $"rank_mean={trainer.CallbackMetrics["rank_mean"].ToString("R", CultureInfo.InvariantCulture)}",
            $"rank_max={trainer.CallbackMetrics["rank_max"].ToString("R", CultureInfo.InvariantCulture)}",
            $"rows={trainer.CallbackMetrics["rows"].ToString("R", CultureInfo.InvariantCulture)}",
        ]);
        return 0;
    }

    /// <summary>
    /// Fits <see cref="Mlp"/> for three epochs of 25 steps, saving a checkpoint at step 40, inside the second epoch
    /// ("straight"), or resumes from that checkpoint to the end ("resumed"); writes the weights to <c>{phase}{r}.txt</c>.
    /// </summary>
    private static int Resume(string folder, string phase)
    {
        var options = Options(folder, 1, "ddp");
        options.MaxSteps = -1;
        options.MaxEpochs = 3;
        options.EnableCheckpointing = true;
        options.Callbacks = [new ModelCheckpoint(dirpath: folder, filename: "stopped", everyNTrainSteps: 40, saveTopK: -1)];
        var trainer = new Trainer(options);
        // Another seed when resuming: the weights must come from the checkpoint alone.
        manual_seed(phase == "straight" ? 1 : 2);
        using var model = new Mlp();
        var (x, y) = Data(1);
        var loader = new TensorDataLoader(x, y, (int)x.shape[0] / 2 / 25, shuffle: true, seed: DataSeed);
        trainer.Fit(model, loader, ckptPath: phase == "resumed" ? Path.Combine(folder, "stopped.ckpt") : null);
        WriteWeights(Path.Combine(folder, $"{phase}{trainer.GlobalRank}.txt"), model.Weights());
        return 0;
    }

    /// <summary>The epoch at whose validation rank 1's early-stopping metric worsens.</summary>
    public const int RankOneStopsAt = 2;

    /// <summary><see cref="Mlp"/> with validation that logs synchronised and unsynchronised metrics.</summary>
    private sealed class RankAwareModel : LightningModule<(Tensor X, Tensor Y)>
    {
        private readonly Mlp _mlp = new();

        public RankAwareModel() => RegisterComponents();

        // Once per machine: a second line in the file would mean the other rank prepared too.
        public override void PrepareData() => File.AppendAllText(Path.Combine(Trainer!.DefaultRootDir, "prepared.txt"), $"rank {Trainer.GlobalRank}\n");

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => _mlp.TrainingStep(batch, batchIdx);

        public override void OnTrainStart() => Print("Print from rank", Trainer!.GlobalRank);

        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var rank = Trainer!.GlobalRank;
            Log("val_loss", _mlp.TrainingStep(batch, batchIdx).Loss!, syncDist: true);
            Log("rank_mean", rank, syncDist: true);
            Log("rank_max", rank, reduce: Reduce.Max, syncDist: true);
            Log("rows", batch.X.shape[0], reduce: Reduce.Sum, syncDist: true);
            // Not synchronised: rank 1 alone sees it stop improving, and early stopping must still stop both ranks.
            Log("signal", rank == 1 && Trainer.CurrentEpoch >= RankOneStopsAt ? 100.0 : -Trainer.CurrentEpoch);
            return null;
        }

        public override OptimizerConfig? ConfigureOptimizers() => _mlp.ConfigureOptimizers();
    }

    /// <summary>
    /// Rank 1 throws, kills itself with SIGKILL, or hangs, in its third training step; rank 0 trains on, and waits for
    /// rank 1 in that step's all-reduce at most <see cref="HangTimeout"/> when it hangs. A rank that throws or dies must
    /// end the job by itself (its error, or mpirun seeing it die), so there rank 0 waits the issue's whole bound: a short
    /// wait let rank 0's timeout win the race against rank 1's own report on a loaded machine.
    /// </summary>
    private static int Fail(string folder, string how)
    {
        var options = Options(folder, 1, "ddp");
        options.DistributedTimeout = how == "hang" ? HangTimeout : TimeSpan.FromSeconds(60);
        var trainer = new Trainer(options);
        using var model = new FailingModel(how);
        var (x, y) = Data(1);
        trainer.Fit(model, new TensorDataLoader(x, y, BatchPerRank));
        return 0;
    }

    /// <summary>
    /// Started alone with two devices, starts its ranks itself, and each trains until it is ended, saying
    /// <c>rank {r} training</c> once it trains.
    /// </summary>
    private static int Endless(string folder)
    {
        var options = Options(folder, 1, "ddp", 2);
        options.MaxSteps = -1;
        options.MaxEpochs = -1;
        options.Callbacks = [new LambdaCallback(onTrainStart: (t, _) => Console.WriteLine($"rank {t.GlobalRank} training"))];
        var trainer = new Trainer(options);
        using var model = new Mlp();
        var (x, y) = Data(1);
        trainer.Fit(model, new TensorDataLoader(x, y, BatchPerRank));
        return 0;
    }

    /// <summary>Rows of the prediction data: odd, so that two ranks' shards are padded with a repeated row.</summary>
    public const int PredictRows = 21;

    /// <summary>Rows of the validation and test data: as many batches on each of two ranks.</summary>
    public const int EvaluateRows = 24;

    /// <summary>
    /// Predicts, validates and tests <see cref="EvaluatedModel"/> with seed-1 weights on <paramref name="strategy"/>, and
    /// writes what they returned to <c>{name}.txt</c> (default <c>rank{r}.txt</c>) in <paramref name="folder"/>: one line per
    /// prediction batch, then the metrics.
    /// </summary>
    public static void Evaluate(string folder, string strategy, string? name)
    {
        var trainer = new Trainer(Options(folder, 1, strategy));
        manual_seed(1);
        using var model = new EvaluatedModel();
        var (x, y) = RandomData.Rows(EvaluateRows, seed: 5);
        var lines = new List<string>();
        foreach (var prediction in trainer.Predict(model, new TensorDataLoader(x[..PredictRows], y[..PredictRows], BatchPerRank)))
            lines.Add(string.Join(';', prediction.to(ScalarType.Float64).reshape(-1).data<double>().ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        var validated = trainer.Validate(model, new TensorDataLoader(x, y, BatchPerRank), verbose: false).Single();
        var tested = trainer.Test(model, new TensorDataLoader(x, y, BatchPerRank), verbose: false).Single();
        lines.Add($"val_loss={validated["val_loss"].ToString("R", CultureInfo.InvariantCulture)}");
        lines.Add($"test_loss={tested["test_loss"].ToString("R", CultureInfo.InvariantCulture)}");
        File.WriteAllLines(Path.Combine(folder, $"{name ?? $"rank{trainer.GlobalRank}"}.txt"), lines);
    }

    private static int Evaluate(string folder)
    {
        Evaluate(folder, "ddp", null);
        return 0;
    }

    /// <summary><see cref="Mlp"/> that predicts its logits and logs its loss in validation and test, reduced across ranks.</summary>
    public sealed class EvaluatedModel : LightningModule<(Tensor X, Tensor Y)>
    {
        private readonly Mlp _mlp = new();

        public EvaluatedModel() => RegisterComponents();

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => _mlp.TrainingStep(batch, batchIdx);

        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            Log("val_loss", _mlp.TrainingStep(batch, batchIdx).Loss!, syncDist: true);
            return null;
        }

        public override StepOutput? TestStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            Log("test_loss", _mlp.TrainingStep(batch, batchIdx).Loss!, syncDist: true);
            return null;
        }

        public override Tensor PredictStep((Tensor X, Tensor Y) batch, int batchIdx) => _mlp.Logits(batch.X);

        public override OptimizerConfig? ConfigureOptimizers() => _mlp.ConfigureOptimizers();
    }

    /// <summary>
    /// Fits <see cref="NormedMlp"/> with <see cref="TrainerOptions.SyncBatchnorm"/> on <paramref name="strategy"/> with
    /// <paramref name="batchSize"/> rows per process and returns its parameters, then its running statistics, and the process's rank.
    /// </summary>
    public static (double[] Values, int Rank) FitSyncBatchnorm(string folder, string strategy, int batchSize, bool direct = false)
    {
        var options = Options(folder, 1, strategy);
        options.SyncBatchnorm = true;
        var trainer = new Trainer(options);
        manual_seed(1);
        using var model = new NormedMlp(direct);
        var (x, y) = Data(1);
        trainer.Fit(model, new TensorDataLoader(x, y, batchSize, shuffle: true, seed: DataSeed));
        return ([.. model.parameters().Concat(model.buffers()).SelectMany(p => p.detach().to(ScalarType.Float64).reshape(-1).data<double>().ToArray())], trainer.GlobalRank);
    }

    private static int SyncBatchnorm(string folder, bool direct)
    {
        var (values, rank) = FitSyncBatchnorm(folder, "ddp", BatchPerRank, direct);
        WriteWeights(Path.Combine(folder, $"rank{rank}.txt"), values);
        return 0;
    }

    /// <summary>A classifier with a BatchNorm layer between its two linear layers, invoked by <c>Sequential</c> or, with <c>direct</c>, by <c>forward</c>.</summary>
    public sealed class NormedMlp : LightningModule<(Tensor X, Tensor Y)>
    {
        private readonly Module<Tensor, Tensor> _in = Linear(8, 16);
        private readonly TorchSharp.Modules.BatchNorm1d _norm = BatchNorm1d(16);
        private readonly Module<Tensor, Tensor> _out = Sequential(Tanh(), Linear(16, 2));
        private readonly bool _direct;

        public NormedMlp(bool direct)
        {
            _direct = direct;
            RegisterComponents();
        }

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var hidden = _in.call(batch.X);
            return functional.cross_entropy(_out.call(_direct ? _norm.forward(hidden) : _norm.call(hidden)), batch.Y);
        }

        public override OptimizerConfig? ConfigureOptimizers() => optim.SGD(parameters(), 0.1, momentum: 0.9);
    }

    /// <summary>How long rank 0 waits for a hung rank 1.</summary>
    public static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The message of the exception rank 1 throws.</summary>
    public const string FailureMessage = "rank one fails on purpose";

    private sealed class FailingModel : LightningModule<(Tensor X, Tensor Y)>
    {
        private readonly Mlp _mlp = new();
        private readonly string _how;

        public FailingModel(string how)
        {
            _how = how;
            RegisterComponents();
        }

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            if (Trainer!.GlobalRank == 1 && batchIdx == 2)
            {
                if (_how == "throw") throw new InvalidOperationException(FailureMessage);
                // A rank that never comes back, not a wait for anything: rank 0's timeout must end the job.
                if (_how == "hang") Thread.Sleep(Timeout.Infinite);
                System.Diagnostics.Process.GetCurrentProcess().Kill();
            }
            return _mlp.TrainingStep(batch, batchIdx);
        }

        public override OptimizerConfig? ConfigureOptimizers() => _mlp.ConfigureOptimizers();
    }
}
