using System.Diagnostics;
using Lightning.Checkpointing;
using Lightning.Hooks;
using Lightning.Logging;
using Lightning.Loops;
using Lightning.Precision;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning;

/// <summary>
/// Runs a <see cref="LightningModule{TBatch}"/>: the loops, device placement, precision, checkpoints, logging
/// and progress, with PyTorch Lightning's behaviour. Create one per run with <see cref="TrainerOptions"/>.
/// </summary>
public sealed class Trainer
{
    private readonly LoggerConnector _logging = new();
    private readonly List<Callback> _callbacks = [];
    private readonly Stopwatch _runClock = new();
    private List<LightningOptimizer> _optimizers = [];
    private List<LRSchedulerConfig> _schedulers = [];
    private FittedRuns? _fitted;
    private Interruption? _interruption;
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    /// <summary>Creates a trainer; options are checked here, before any work is done.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it and the allowed values.</exception>
    public Trainer(TrainerOptions? options = null)
    {
        Options = options ?? new TrainerOptions();
        Progress = new FitProgress(this);
        Hooks = new HookDispatcher(_logging, _callbacks, () => Profiler);
        LoggerLifecycle = new LoggerLifecycle(this, _logging);
        TrainerOptionsValidator.Validate(Options);
        // Chosen and checked now, as Lightning does, so a missing GPU or an unsupported precision fails before any work.
        Strategy = Accelerators.AcceleratorConnector.SelectStrategy(Options);
        RootDevice = Strategy.RootDevice;
        Precision = PrecisionPlugin.For(Options.Precision, RootDevice);
        if (Options.Deterministic) Native.LibTorchContext.Require("Deterministic = true");
        if (Options.Benchmark is { } benchmark) Native.LibTorchContext.Require($"Benchmark = {(benchmark ? "true" : "false")}");
        if (Options.Deterministic && Options.Benchmark == true)
            Output.Warn("Deterministic = true and Benchmark = true: cuDNN's autotuning picks algorithms by timing, so runs may differ. Leave Benchmark unset for deterministic runs.");
    }

    /// <summary>The options this trainer was created with.</summary>
    public TrainerOptions Options { get; }

    /// <summary>What the trainer is doing now.</summary>
    public TrainerState State { get; } = new();

    /// <summary>The current training epoch, counting from 0.</summary>
    public int CurrentEpoch => Progress.Epoch;

    /// <summary>The number of optimizer steps taken.</summary>
    public long GlobalStep => Progress.GlobalStep;

    /// <summary>Set by callbacks (early stopping, say) to end training after the current step or epoch.</summary>
    public bool ShouldStop { get; set; }

    /// <summary>Whether the validation sanity check is running.</summary>
    public bool SanityChecking => State.Stage == RunningStage.SanityChecking;

    /// <summary>Whether the training loop is running.</summary>
    public bool Training => State.Stage == RunningStage.Training;

    /// <summary>The latest value of every metric, for callbacks that monitor one (Lightning's <c>callback_metrics</c>).</summary>
    public IReadOnlyDictionary<string, double> CallbackMetrics => _logging.CallbackMetrics;

    /// <summary>The latest value of every metric sent to the loggers.</summary>
    public IReadOnlyDictionary<string, double> LoggedMetrics => _logging.LoggedMetrics;

    /// <summary>The metrics the progress bar shows.</summary>
    public IReadOnlyDictionary<string, double> ProgressBarMetrics => _logging.ProgressBarMetrics;

    /// <summary>All callbacks of the current run, in the order their hooks are called.</summary>
    public IReadOnlyList<Callback> Callbacks => _callbacks;

    /// <summary>The loggers of the current run.</summary>
    public IReadOnlyList<Logger> Loggers => _logging.Loggers;

    /// <summary>The first logger, or null.</summary>
    public Logger? Logger => _logging.Loggers.Count > 0 ? _logging.Loggers[0] : null;

    /// <summary>The root folder for logs and checkpoints (<c>DefaultRootDir</c>, or the current folder).</summary>
    public string DefaultRootDir => Options.DefaultRootDir ?? Directory.GetCurrentDirectory();

    /// <summary>This run's folder: the first logger's <c>LogDir</c>, else <see cref="DefaultRootDir"/>.</summary>
    public string LogDir => Logger?.LogDir ?? DefaultRootDir;

    /// <summary>The module being run.</summary>
    public LightningModule? LightningModule { get; private set; }

    /// <summary>The data module of the run, if one was given.</summary>
    public LightningDataModule? DataModule { get; private set; }

    /// <summary>The rank of this process among all processes of a data-parallel job (0 when training alone).</summary>
    public int GlobalRank => Strategy.GlobalRank;

    /// <summary>The rank of this process among the job's processes on its machine.</summary>
    public int LocalRank => Strategy.LocalRank;

    /// <summary>The index of this process's machine in the job.</summary>
    public int NodeRank => Strategy.NodeRank;

    /// <summary>The number of processes training together (1 when training alone).</summary>
    public int WorldSize => Strategy.WorldSize;

    /// <summary>Whether this process is global rank 0, the one that prints, logs and writes checkpoints.</summary>
    public bool IsGlobalZero => Strategy.IsGlobalZero;

    /// <summary>The device the module and batches are on.</summary>
    public Device RootDevice { get; internal set; }

    /// <summary>Training batches per epoch after limits, or null while unknown.</summary>
    public int? NumTrainingBatches => Progress.NumTrainingBatches;

    /// <summary>
    /// How many optimizer steps the current fit will take (Lightning's <c>estimated_stepping_batches</c>), for sizing
    /// OneCycle and warm-up schedules in <c>ConfigureOptimizers</c>: the training batches per epoch (after limits)
    /// divided by <c>AccumulateGradBatches</c>, rounded up, times <c>MaxEpochs</c>, capped by <c>MaxSteps</c>; infinite
    /// when neither limits training. Reading it asks for the training loader if it was not yet asked for.
    /// </summary>
    /// <exception cref="InvalidOperationException">No fit is running.</exception>
    public double EstimatedSteppingBatches => Limits.SteppingBatches(this);

    /// <summary>The running fit's count of training batches per epoch, or null outside a fit.</summary>
    internal Func<int?>? TrainBatchesPerEpoch { get; set; }

    /// <summary>Batches per validation loader after limits.</summary>
    public IReadOnlyList<int> NumValBatches { get; internal set; } = [];

    /// <summary>Batches per test loader after limits.</summary>
    public IReadOnlyList<int> NumTestBatches { get; internal set; } = [];

    /// <summary>Batches per prediction loader after limits.</summary>
    public IReadOnlyList<int> NumPredictBatches { get; internal set; } = [];

    /// <summary>The index of the batch being processed in the current epoch (of training, or of the validation, test or prediction running).</summary>
    public int BatchIdx => Training ? Progress.BatchIdx : EvaluationBatchIdx;

    /// <summary>The index of the batch the running validation, test or prediction loop is processing; training's is in <see cref="Progress"/>.</summary>
    internal int EvaluationBatchIdx { get; set; }

    /// <summary>Training batches completed in the current epoch (the position a mid-epoch resume continues from).</summary>
    public int BatchesCompletedInEpoch => Progress.BatchesCompleted;

    /// <summary>The epoch limit in force: <c>MaxEpochs</c>, or 1000 when neither epochs nor steps are limited, or -1 for none.</summary>
    public int MaxEpochs => FastDev ? 1 : Options.MaxEpochs ?? (Options.MaxSteps == -1 ? 1000 : -1);

    /// <summary>The step limit in force (-1: none).</summary>
    public int MaxSteps => FastDev ? Options.FastDevRun.Batches : Options.MaxSteps;

    /// <summary>The optimizers of the run.</summary>
    public IReadOnlyList<Optimizer> Optimizers => _optimizers.Select(o => o.Optimizer).ToList();

    /// <summary>The learning-rate schedulers of the run and how each steps.</summary>
    public IReadOnlyList<LRSchedulerConfig> LrSchedulerConfigs => _schedulers;

    /// <summary>Time spent in the current <c>Fit</c>, <c>Validate</c>, <c>Test</c> or <c>Predict</c>.</summary>
    public TimeSpan Elapsed => _runClock.Elapsed;

    /// <summary>
    /// The gradient accumulation in force: <c>AccumulateGradBatches</c>, or what a
    /// <see cref="GradientAccumulationScheduler"/> set for the current epoch.
    /// </summary>
    public int AccumulateGradBatches => Progress.AccumulateGradBatches;

    /// <summary>The checkpoint the current or latest run loaded (Lightning's <c>ckpt_path</c>), or null.</summary>
    public string? CkptPath { get; internal set; }

    /// <summary>The first <see cref="ModelCheckpoint"/> of the run, or null (Lightning's <c>checkpoint_callback</c>).</summary>
    public ModelCheckpoint? CheckpointCallback => _callbacks.OfType<ModelCheckpoint>().FirstOrDefault();

    /// <summary>All checkpointing callbacks of the run.</summary>
    public IReadOnlyList<Checkpoint> CheckpointCallbacks => _callbacks.OfType<Checkpoint>().ToList();

    /// <summary>The first <see cref="EarlyStopping"/> of the run, or null.</summary>
    public EarlyStopping? EarlyStoppingCallback => _callbacks.OfType<EarlyStopping>().FirstOrDefault();

    /// <summary>The position of the fit, which the loops own and checkpoints record; a later Fit continues from it.</summary>
    internal FitProgress Progress { get; }

    /// <summary>The callbacks this trainer adds by default, made once so they keep their state across runs (a "best" checkpoint after Fit, say).</summary>
    internal Dictionary<Type, Callback> DefaultCallbackInstances { get; } = [];

    /// <summary>Whether fast-dev-run is on.</summary>
    public bool FastDev => Options.FastDevRun.Enabled;

    /// <summary>
    /// The seed given to <see cref="SeedEverything"/>, which the runtime's loaders use for shuffling; restored
    /// from a checkpoint when fitting resumes, so the data order continues as it was.
    /// </summary>
    public static long? Seed { get; internal set; }

    /// <summary>
    /// Seeds every random number generator the runtime uses (TorchSharp's, and the loaders' shuffling), so
    /// two runs with the same seed are the same (Lightning's <c>seed_everything</c>). Returns the seed.
    /// </summary>
    public static long SeedEverything(long seed)
    {
        Seed = seed;
        torch.manual_seed(seed);
        torch.random.manual_seed(seed);
        return seed;
    }

    internal PrecisionPlugin Precision { get; set; }

    /// <summary>How the work is spread over processes; the loops and callbacks ask it about ranks and collectives.</summary>
    internal Strategies.Strategy Strategy { get; }

    internal IReadOnlyList<LightningOptimizer> LightningOptimizers => _optimizers;

    internal IReadOnlyList<LRSchedulerConfig> SchedulerConfigs => _schedulers;

    internal LoggerConnector Logging => _logging;

    /// <summary>Sets the loggers up for a run and finishes them after it.</summary>
    internal LoggerLifecycle LoggerLifecycle { get; }

    /// <summary>
    /// When set, the run's callbacks are exactly these: no module callbacks and no defaults (the tuner's search runs,
    /// which must not checkpoint, log or stop early as the real run would).
    /// </summary>
    internal IReadOnlyList<Callback>? OnlyCallbacks { get; set; }

    /// <summary>Changes what <c>ConfigureOptimizers</c> returned before it is used (the learning-rate finder's schedule).</summary>
    internal Func<OptimizerConfig, OptimizerConfig>? OptimizerOverride { get; set; }

    /// <summary>Fits the module, data module and loaders of the current or latest <c>Fit</c> with another trainer, or null before any.</summary>
    internal Action<Trainer>? FitElsewhere => _fitted?.Fit;

    /// <summary>Writes a warning the first time this trainer meets it, as Python's warnings are shown once per place.</summary>
    internal void WarnOnce(string message)
    {
        if (_warned.Add(message)) Output.Warn(message);
    }

    /// <summary>Calls every hook of the run: names it for <c>Log</c>, times it, orders the callbacks.</summary>
    internal HookDispatcher Hooks { get; }

    /// <summary>The profiler of the current or last run (<see cref="TrainerOptions.Profiler"/>), or null.</summary>
    public Profiler? Profiler { get; private set; }

    // ----- entry points -------------------------------------------------------------------------------------

    /// <summary>
    /// Trains <paramref name="model"/>: sanity check, then epochs of training with validation, until a limit or
    /// a callback stops it. Loaders come from the arguments, else <paramref name="dataModule"/>, else the module.
    /// </summary>
    /// <param name="model">The module to train.</param>
    /// <param name="trainDataloaders">Training batches; overrides the data module's and the module's.</param>
    /// <param name="valDataloaders">Validation batches; overrides the data module's and the module's.</param>
    /// <param name="dataModule">The data module providing loaders.</param>
    /// <param name="ckptPath">A checkpoint to resume from: a path, <c>"last"</c> or <c>"best"</c>.</param>
    /// <param name="cancellationToken">
    /// Ends the fit at the next batch, as Ctrl+C and SIGTERM do, after <c>OnException</c> (an <see cref="OnExceptionCheckpoint"/>
    /// saves) with an <see cref="OperationCanceledException"/>. A signal ends the process after the same shutdown, with
    /// exit code 130 (Ctrl+C) or 143 (SIGTERM), as Lightning's graceful shutdown does.
    /// </param>
    public void Fit<TBatch>(LightningModule<TBatch> model, IEnumerable<TBatch>? trainDataloaders = null,
        IEnumerable<TBatch>? valDataloaders = null, LightningDataModule<TBatch>? dataModule = null, string? ckptPath = null,
        CancellationToken cancellationToken = default) =>
        FitWith(model, trainDataloaders, valDataloaders is null ? null : [valDataloaders], dataModule, ckptPath, cancellationToken);

    /// <summary>
    /// Trains with several validation loaders (Lightning's list of <c>val_dataloaders</c>): each validation runs them
    /// in order, <c>ValidationStep(batch, batchIdx, dataloaderIdx)</c> gets the loader's index, and metric names get a
    /// <c>/dataloader_idx_N</c> suffix. The other parameters are as in the single-loader <c>Fit</c>.
    /// </summary>
    public void Fit<TBatch>(LightningModule<TBatch> model, IEnumerable<TBatch>? trainDataloaders, IReadOnlyList<IEnumerable<TBatch>> valDataloaders,
        LightningDataModule<TBatch>? dataModule = null, string? ckptPath = null, CancellationToken cancellationToken = default) =>
        FitWith(model, trainDataloaders, valDataloaders, dataModule, ckptPath, cancellationToken);

    private void FitWith<TBatch>(LightningModule<TBatch> model, IEnumerable<TBatch>? trainDataloaders, IReadOnlyList<IEnumerable<TBatch>>? valDataloaders,
        LightningDataModule<TBatch>? dataModule, string? ckptPath, CancellationToken cancellationToken)
    {
        if (valDataloaders is not null && !model.Overrides(nameof(LightningModule<TBatch>.ValidationStep)))
            Output.Warn($"You passed valDataloaders to Fit, but {model.GetType().Name} does not override ValidationStep, so validation is skipped.");
        var data = new DataSource<TBatch>(this, model, dataModule, trainDataloaders, valDataloaders);
        _fitted = new FittedRuns(
            (ckpt, verbose, cancel) => Evaluate(Stage.Validate, model, valDataloaders, dataModule, ckpt, verbose, cancel),
            (ckpt, verbose, cancel) => Test(model, null, dataModule, ckpt, verbose, cancel),
            (ckpt, cancel) => Predict(model, null, dataModule, ckpt, cancel),
            other => other.FitWith(model, trainDataloaders, valDataloaders, dataModule, null, CancellationToken.None));
        Run(Stage.Fit, model, dataModule, cancellationToken, () =>
        {
            new FitLoop<TBatch>(this, model, data).Run(ckptPath ?? Options.ResumeFromCheckpoint);
            return 0;
        }, resumeFrom: ckptPath ?? Options.ResumeFromCheckpoint);
    }

    /// <summary>
    /// Runs one validation pass and returns the metrics of each loader (and prints them when <paramref name="verbose"/>).
    /// <paramref name="cancellationToken"/> ends it at the next batch, as for <c>Fit</c>.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Validate<TBatch>(LightningModule<TBatch> model,
        IEnumerable<TBatch>? dataloaders = null, LightningDataModule<TBatch>? dataModule = null, string? ckptPath = null, bool verbose = true,
        CancellationToken cancellationToken = default) =>
        Evaluate(Stage.Validate, model, dataloaders is null ? null : [dataloaders], dataModule, ckptPath, verbose, cancellationToken);

    /// <summary>Validates on several loaders; metric names get a <c>/dataloader_idx_N</c> suffix and each loader its dictionary.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Validate<TBatch>(LightningModule<TBatch> model,
        IReadOnlyList<IEnumerable<TBatch>> dataloaders, string? ckptPath = null, bool verbose = true, CancellationToken cancellationToken = default) =>
        Evaluate(Stage.Validate, model, dataloaders, null, ckptPath, verbose, cancellationToken);

    /// <summary>
    /// Runs the test set and returns the metrics of each loader (and prints them when <paramref name="verbose"/>).
    /// <paramref name="cancellationToken"/> ends it at the next batch, as for <c>Fit</c>.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Test<TBatch>(LightningModule<TBatch> model,
        IEnumerable<TBatch>? dataloaders = null, LightningDataModule<TBatch>? dataModule = null, string? ckptPath = null, bool verbose = true,
        CancellationToken cancellationToken = default) =>
        Evaluate(Stage.Test, model, dataloaders is null ? null : [dataloaders], dataModule, ckptPath, verbose, cancellationToken);

    /// <summary>Tests on several loaders; metric names get a <c>/dataloader_idx_N</c> suffix and each loader its dictionary.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Test<TBatch>(LightningModule<TBatch> model,
        IReadOnlyList<IEnumerable<TBatch>> dataloaders, string? ckptPath = null, bool verbose = true, CancellationToken cancellationToken = default) =>
        Evaluate(Stage.Test, model, dataloaders, null, ckptPath, verbose, cancellationToken);

    /// <summary>
    /// Runs <c>PredictStep</c> over the prediction data and returns the predictions, in order. With several processes,
    /// each predicts its part and every process returns all of them in the data set's order.
    /// <paramref name="cancellationToken"/> ends it at the next batch, as for <c>Fit</c>.
    /// </summary>
    public IReadOnlyList<Tensor> Predict<TBatch>(LightningModule<TBatch> model, IEnumerable<TBatch>? dataloaders = null,
        LightningDataModule<TBatch>? dataModule = null, string? ckptPath = null, CancellationToken cancellationToken = default)
    {
        var data = new DataSource<TBatch>(this, model, dataModule, null, dataloaders is null ? null : [dataloaders]);
        return Run(Stage.Predict, model, dataModule, cancellationToken, () => new PredictionLoop<TBatch>(this, model, data).Run(ckptPath ?? ResumeWeights));
    }

    /// <summary>
    /// Validates the module of this trainer's latest <c>Fit</c> on that fit's validation data (Lightning's
    /// <c>trainer.validate()</c>): with no <paramref name="ckptPath"/>, the best checkpoint of that fit, or the current
    /// weights where there is none; it says which.
    /// </summary>
    /// <exception cref="InvalidOperationException">This trainer has not fitted a module: pass the module.</exception>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Validate(string? ckptPath = null, bool verbose = true, CancellationToken cancellationToken = default) =>
        FittedRuns.Of(_fitted, nameof(Validate)).Validate(FittedRuns.Checkpoint(this, nameof(Validate), ckptPath), verbose, cancellationToken);

    /// <summary>
    /// Tests the module of this trainer's latest <c>Fit</c> (Lightning's <c>trainer.test()</c>, as the tutorials call
    /// it after fitting): with no <paramref name="ckptPath"/>, the best checkpoint of that fit, or the current weights
    /// where there is none; it says which.
    /// </summary>
    /// <exception cref="InvalidOperationException">This trainer has not fitted a module: pass the module.</exception>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Test(string? ckptPath = null, bool verbose = true, CancellationToken cancellationToken = default) =>
        FittedRuns.Of(_fitted, nameof(Test)).Test(FittedRuns.Checkpoint(this, nameof(Test), ckptPath), verbose, cancellationToken);

    /// <summary>
    /// Predicts with the module of this trainer's latest <c>Fit</c>: with no <paramref name="ckptPath"/>, the best
    /// checkpoint of that fit, or the current weights where there is none; it says which.
    /// </summary>
    /// <exception cref="InvalidOperationException">This trainer has not fitted a module: pass the module.</exception>
    public IReadOnlyList<Tensor> Predict(string? ckptPath = null, CancellationToken cancellationToken = default) =>
        FittedRuns.Of(_fitted, nameof(Predict)).Predict(FittedRuns.Checkpoint(this, nameof(Predict), ckptPath), cancellationToken);

    /// <summary>
    /// As in Lightning 0.7, <c>ResumeFromCheckpoint</c> names the weights Validate, Test and Predict use when they get
    /// no <c>ckptPath</c>; once this trainer has fitted, they use the fitted weights instead.
    /// </summary>
    private string? ResumeWeights => _fitted is null ? Options.ResumeFromCheckpoint : null;

    private IReadOnlyList<IReadOnlyDictionary<string, double>> Evaluate<TBatch>(Stage stage, LightningModule<TBatch> model,
        IReadOnlyList<IEnumerable<TBatch>>? dataloaders, LightningDataModule<TBatch>? dataModule, string? ckptPath, bool verbose,
        CancellationToken cancellationToken)
    {
        var data = new DataSource<TBatch>(this, model, dataModule, null, dataloaders);
        return Run(stage, model, dataModule, cancellationToken, () =>
        {
            var loop = new EvaluationLoop<TBatch>(this, model, stage == Stage.Test ? EvaluationStage<TBatch>.Test : EvaluationStage<TBatch>.Validation);
            var results = loop.RunStandalone(stage == Stage.Test ? data.Test : data.Val, ckptPath ?? ResumeWeights);
            if (verbose && Output.Shows(this)) MetricsTable.Print(stage == Stage.Test ? "Test" : "Validate", results, Output.Out);
            return results;
        });
    }

    /// <summary>
    /// The frame shared by all entry points: attach, prepare, set up, run, tear down, report failures. A fit
    /// resuming from <paramref name="resumeFrom"/> continues the run's version folder before anything is set up.
    /// </summary>
    private T Run<T>(Stage stage, LightningModule model, LightningDataModule? dataModule, CancellationToken cancellationToken, Func<T> body,
        string? resumeFrom = null)
    {
        if (State.Status == TrainerStatus.Running)
            throw new InvalidOperationException("This Trainer is already running; Fit, Validate, Test and Predict cannot be nested.");
        LightningModule = model;
        DataModule = dataModule;
        model.Trainer = this;
        if (dataModule is not null) dataModule.Trainer = this;
        State.Fn = stage;
        State.Status = TrainerStatus.Running;
        ShouldStop = false;
        CkptPath = null;
        _runClock.Restart();
        Profiler = Profiler.Create(Options.Profiler, stage);
        // Deterministic algorithms and cuDNN autotuning for this run only; the scopes restore the previous settings.
        using var deterministic = Options.Deterministic ? Native.LibTorchContext.UseDeterministicAlgorithms(true) : null;
        using var benchmark = Options.Benchmark is { } autotune ? Native.LibTorchContext.UseBenchmarkCudnn(autotune) : null;
        // Autograd's anomaly mode for this run, as Lightning's detect_anomaly: a NaN produced in backward stops it too.
        using var anomaly = Options.DetectAnomaly ? torch.autograd.detect_anomaly() : null;
        using var interruption = new Interruption(cancellationToken);
        _interruption = interruption;
        int exitCode;
        try
        {
            CallbackConnector.SetUp(this, model, _callbacks);
            RunHooks.SetUp(this, stage, model, dataModule, resumeFrom);
            var result = body();
            State.Status = TrainerStatus.Finished;
            LoggerLifecycle.Finish("success");
            return result;
        }
        catch (Exception exception)
        {
            State.Status = TrainerStatus.Interrupted;
            if (!RunHooks.Fail(this, model, exception, interruption)) throw;
            exitCode = interruption.ExitCode;
        }
        finally
        {
            RunHooks.TearDown(this, stage, model, dataModule);
            _runClock.Stop();
            _interruption = null;
        }
        // Ctrl+C or SIGTERM: the shutdown is done, and the process ends as Lightning's does.
        Environment.Exit(exitCode);
        throw new OperationCanceledException("The run was interrupted by a signal.");
    }

    /// <summary>
    /// Ends the run at a batch boundary when the caller's token is cancelled or Ctrl+C or SIGTERM arrived; the loops
    /// call it before each batch.
    /// </summary>
    internal void ThrowIfInterrupted() => _interruption?.Token.ThrowIfCancellationRequested();

    // ----- checkpoints ---------------------------------------------------------------------------------------

    /// <summary>
    /// Saves a checkpoint of the current state to <paramref name="filepath"/> (Lightning's <c>save_checkpoint</c>):
    /// weights, and unless <paramref name="weightsOnly"/>, everything needed to resume fitting exactly. The file is
    /// written atomically: if saving fails or the process dies, an existing file at that path is left intact.
    /// Python reads it with <c>torch.load(path)</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No module is attached: call it during or after a run.</exception>
    public void SaveCheckpoint(string filepath, bool weightsOnly = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filepath);
        CheckpointConnector.Save(this, LightningModule ?? throw new InvalidOperationException(
            "Trainer.SaveCheckpoint needs a module: call it during or after Fit, Validate, Test or Predict."), filepath, weightsOnly);
    }

    /// <summary>Whether fitting without a <c>ckptPath</c> resumes from the newest <c>"last"</c> checkpoint, as Lightning does with an <see cref="OnExceptionCheckpoint"/>.</summary>
    internal bool ResumesFromLastByDefault => _callbacks.OfType<OnExceptionCheckpoint>().Any();

    // ----- services for the loops and the module ----------------------------------------------------------------

    /// <summary>Calls <c>ConfigureOptimizers</c> and takes the optimizers and schedulers it returned.</summary>
    internal void ConfigureOptimizers(LightningModule model) => (_optimizers, _schedulers) = OptimizerSetup.Configure(this, model);
}
