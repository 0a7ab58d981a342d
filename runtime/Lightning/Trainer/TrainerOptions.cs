namespace Lightning;

/// <summary>
/// Everything the <see cref="Trainer"/> can be told, with PyTorch Lightning's names (in PascalCase) and
/// defaults. The CLI exposes each property as <c>--trainer.kebab-case-name</c>.
/// </summary>
public sealed class TrainerOptions
{
    /// <summary>Hardware to run on: <c>"auto"</c> (CUDA, then MPS, then CPU), <c>"cpu"</c>, <c>"cuda"</c> (alias <c>"gpu"</c>) or <c>"mps"</c>.</summary>
    public string Accelerator { get; set; } = "auto";

    /// <summary>Which or how many devices: <c>"auto"</c>, a count, <c>-1</c> for all, or a list of indices.</summary>
    public DeviceSelection Devices { get; set; } = DeviceSelection.Auto;

    /// <summary>Lightning 0.x alias: <c>Gpus = 1</c> means <c>Accelerator = "cuda", Devices = 1</c>.</summary>
    public int? Gpus { get; set; }

    /// <summary>
    /// How work is spread over devices: <c>"auto"</c>, <c>"single_device"</c>, or <c>"ddp"</c> (one process per device,
    /// gradients averaged over MPI or NCCL; started by <c>mpirun</c> or <c>srun</c>, or starting its processes itself).
    /// </summary>
    public string Strategy { get; set; } = "auto";

    /// <summary>The number of machines a <c>"ddp"</c> job runs on, each with <see cref="Devices"/> processes.</summary>
    public int NumNodes { get; set; } = 1;

    /// <summary>
    /// How long a <c>"ddp"</c> process waits in a collective (gradient averaging, a barrier) for the others before it
    /// ends the job with an error naming the processes that never came (PyTorch's process-group timeout, 30 minutes).
    /// </summary>
    public TimeSpan DistributedTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// With several processes, whether each loader that can (<see cref="IShardable"/>: the runtime's loaders) gives each
    /// process its own part of the data (Lightning's <c>use_distributed_sampler</c>). Turn off to shard by hand.
    /// </summary>
    public bool UseDistributedSampler { get; set; } = true;

    /// <summary>
    /// With several processes, whether BatchNorm layers normalise with the batch statistics of all processes in training
    /// (Lightning's <c>sync_batchnorm</c>), so that N processes with batch b train as one with batch N·b. The layers
    /// must be invoked with <c>call</c> (as <c>Sequential</c> does), not <c>forward</c>.
    /// </summary>
    public bool SyncBatchnorm { get; set; }

    /// <summary>
    /// Numeric precision: <c>"32-true"</c> (default), <c>"64-true"</c>, <c>"16-true"</c>, <c>"bf16-true"</c>,
    /// <c>"16-mixed"</c>, <c>"bf16-mixed"</c>, or the aliases <c>"16"</c>, <c>"32"</c>, <c>"64"</c>, <c>"bf16"</c>.
    /// </summary>
    public string Precision { get; set; } = "32-true";

    /// <summary>Folder for logs and checkpoints when no logger or callback names one; default: the current folder.</summary>
    public string? DefaultRootDir { get; set; }

    /// <summary>Stop after this many epochs; default 1000 when <see cref="MaxSteps"/> is also unset, -1 for no limit.</summary>
    public int? MaxEpochs { get; set; }

    /// <summary>Train at least this many epochs, even when a callback asks to stop earlier.</summary>
    public int? MinEpochs { get; set; }

    /// <summary>Stop after this many optimizer steps; -1 (default) for no limit.</summary>
    public int MaxSteps { get; set; } = -1;

    /// <summary>Train at least this many optimizer steps, even when a callback asks to stop earlier.</summary>
    public int? MinSteps { get; set; }

    /// <summary>Stop when training has run this long (checked after each batch).</summary>
    public TimeSpan? MaxTime { get; set; }

    /// <summary>Training batches per epoch: a count, or a fraction of the loader (default 1.0, all).</summary>
    public CountOrFraction LimitTrainBatches { get; set; } = CountOrFraction.All;

    /// <summary>Validation batches per validation run: a count, or a fraction (default 1.0).</summary>
    public CountOrFraction LimitValBatches { get; set; } = CountOrFraction.All;

    /// <summary>Test batches: a count, or a fraction (default 1.0).</summary>
    public CountOrFraction LimitTestBatches { get; set; } = CountOrFraction.All;

    /// <summary>Prediction batches: a count, or a fraction (default 1.0).</summary>
    public CountOrFraction LimitPredictBatches { get; set; } = CountOrFraction.All;

    /// <summary>
    /// How often to validate inside an epoch: a fraction of the epoch (0.25 = four times) or a count of
    /// training batches (default 1.0, once at the end of the epoch).
    /// </summary>
    public CountOrFraction ValCheckInterval { get; set; } = CountOrFraction.All;

    /// <summary>Validate every n training epochs (default 1); <see langword="null"/> with an integer <see cref="ValCheckInterval"/> counts batches across epochs.</summary>
    public int? CheckValEveryNEpoch { get; set; } = 1;

    /// <summary>Validation batches run before training starts, to catch bugs early (default 2; -1 runs them all, 0 none).</summary>
    public int NumSanityValSteps { get; set; } = 2;

    /// <summary>Run n batches (true: 1) of train, validation and test, with no loggers, checkpoints or further epochs.</summary>
    public FastDevRun FastDevRun { get; set; }

    /// <summary>Train and validate on the same few training batches (a count or a fraction) to check the model can overfit.</summary>
    public CountOrFraction OverfitBatches { get; set; } = 0;

    /// <summary>Accumulate gradients over this many batches before each optimizer step (default 1).</summary>
    public int AccumulateGradBatches { get; set; } = 1;

    /// <summary>Clip gradients at this value before each optimizer step; <see langword="null"/> (default) does not clip.</summary>
    public double? GradientClipVal { get; set; }

    /// <summary>Clip by total norm (default) or element value.</summary>
    public GradientClipAlgorithm GradientClipAlgorithm { get; set; } = GradientClipAlgorithm.Norm;

    /// <summary>Use deterministic algorithms so runs with the same seed are identical bit for bit.</summary>
    public bool Deterministic { get; set; }

    /// <summary>
    /// cuDNN autotuning (Lightning's <c>benchmark</c>, <c>torch.backends.cudnn.benchmark</c>) for the run: cuDNN times
    /// the algorithms for each new input shape and keeps the fastest, which pays off when shapes do not change.
    /// <see langword="null"/> (default) leaves LibTorch's setting as it is (off unless set), turned off by
    /// <see cref="Deterministic"/>.
    /// </summary>
    public bool? Benchmark { get; set; }

    /// <summary>Check each loss for NaN or infinity and stop with the step that produced it.</summary>
    public bool DetectAnomaly { get; set; }

    /// <summary>Evaluate under inference mode (default) rather than only with gradients off.</summary>
    public bool InferenceMode { get; set; } = true;

    /// <summary>Callbacks in addition to the defaults (checkpointing, progress bar, model summary).</summary>
    public List<Callback> Callbacks { get; set; } = [];

    /// <summary>The default logger (<see langword="true"/>), none, one or several loggers.</summary>
    public LoggerSelection Logger { get; set; } = true;

    /// <summary>Send step-level metrics to the loggers every n training steps (default 50).</summary>
    public int LogEveryNSteps { get; set; } = 50;

    /// <summary>Add a <c>ModelCheckpoint</c> when none is given (default on).</summary>
    public bool EnableCheckpointing { get; set; } = true;

    /// <summary>Show a progress bar (default on); plain periodic lines when output is not a terminal.</summary>
    public bool EnableProgressBar { get; set; } = true;

    /// <summary>Print the model summary table when fitting starts (default on).</summary>
    public bool EnableModelSummary { get; set; } = true;

    /// <summary>
    /// Time each hook: <c>"simple"</c> (Lightning's table of mean duration, calls, total time and share per hook) or
    /// <c>"advanced"</c> (with each hook's median, fastest and slowest call, managed allocations and the garbage
    /// collections); printed at the end of the run and written to <c>{stage}-profile.txt</c> in the log folder.
    /// Default none.
    /// </summary>
    public string? Profiler { get; set; }

    /// <summary>Ask the loaders again every n epochs (0, default: once).</summary>
    public int ReloadDataloadersEveryNEpochs { get; set; }

    /// <summary>Lightning 0.x alias of <c>Fit(..., ckptPath: path)</c>.</summary>
    public string? ResumeFromCheckpoint { get; set; }

    /// <summary>
    /// Folder of an existing PyTorch install's <c>torch/lib</c> to load LibTorch (with CUDA) from when the application
    /// references <c>TorchSharp</c> without a backend package (Linux), or <c>"python"</c> to ask <c>python3</c>. It must
    /// be applied before TorchSharp loads a LibTorch, which a module's layers make it do, so the environment variable
    /// <c>LIGHTNING_TORCH_LIB</c> (read when Lightning loads) or <see cref="LibTorch.Use"/> at the start of <c>Main</c> is
    /// the safer way.
    /// </summary>
    public string? TorchLibPath { get; set; }

    /// <summary>A shallow copy, for a run derived from this one (the tuner's search runs).</summary>
    internal TrainerOptions Copy() => (TrainerOptions)MemberwiseClone();
}
