using System.Globalization;

namespace Lightning;

/// <summary>
/// Stops training when a monitored metric stops improving (Lightning's <c>EarlyStopping</c>). The metric is
/// checked after each validation run (at the end of the training epoch when validation runs once per epoch);
/// <see cref="Patience"/> counts those checks. Training also stops when the metric reaches
/// <see cref="StoppingThreshold"/>, passes <see cref="DivergenceThreshold"/> or stops being finite.
/// </summary>
public sealed class EarlyStopping : Callback
{
    private readonly TextWriter? _output;
    private readonly double _signedMinDelta;
    private bool? _checkOnTrainEpochEnd;

    /// <summary>Creates the callback with Lightning's arguments and defaults.</summary>
    /// <param name="monitor">The metric to watch, as logged (for example <c>"val_loss"</c>).</param>
    /// <param name="minDelta">The smallest change that counts as an improvement.</param>
    /// <param name="patience">How many checks without improvement to allow before stopping.</param>
    /// <param name="verbose">Print each decision.</param>
    /// <param name="mode">Whether lower or higher values are better.</param>
    /// <param name="strict">Whether a missing metric is an error (otherwise the check is skipped).</param>
    /// <param name="checkFinite">Stop when the metric becomes NaN or infinite.</param>
    /// <param name="stoppingThreshold">Stop as soon as the metric is better than this.</param>
    /// <param name="divergenceThreshold">Stop as soon as the metric is worse than this.</param>
    /// <param name="checkOnTrainEpochEnd">Check at the end of the training epoch (true) or after each validation (false); default: by the validation settings.</param>
    /// <param name="output">Where verbose lines, and the reason of a stop on a non-finite value, go; default the console.</param>
    public EarlyStopping(string monitor, double minDelta = 0.0, int patience = 3, bool verbose = false, MonitorMode mode = MonitorMode.Min,
        bool strict = true, bool checkFinite = true, double? stoppingThreshold = null, double? divergenceThreshold = null,
        bool? checkOnTrainEpochEnd = null, TextWriter? output = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(monitor);
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        Monitor = monitor;
        MinDelta = minDelta;
        Patience = patience;
        Verbose = verbose;
        Mode = mode;
        Strict = strict;
        CheckFinite = checkFinite;
        StoppingThreshold = stoppingThreshold;
        DivergenceThreshold = divergenceThreshold;
        _checkOnTrainEpochEnd = checkOnTrainEpochEnd;
        _output = output;
        _signedMinDelta = mode == MonitorMode.Max ? minDelta : -minDelta;
        BestScore = mode == MonitorMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>The metric watched.</summary>
    public string Monitor { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Checks without improvement allowed before stopping. Not taken from a checkpoint: the value given here applies after resuming.</summary>
    public int Patience { get; }

    /// <summary>Whether decisions are printed.</summary>
    public bool Verbose { get; }

    /// <summary>Whether lower or higher values are better.</summary>
    public MonitorMode Mode { get; }

    /// <summary>Whether a missing metric is an error.</summary>
    public bool Strict { get; }

    /// <summary>Whether a NaN or infinite value stops training.</summary>
    public bool CheckFinite { get; }

    /// <summary>Stop once the metric is better than this.</summary>
    public double? StoppingThreshold { get; }

    /// <summary>Stop once the metric is worse than this.</summary>
    public double? DivergenceThreshold { get; }

    /// <summary>Checks since the last improvement.</summary>
    public int WaitCount { get; private set; }

    /// <summary>The epoch in which training was told to stop (0 until then).</summary>
    public int StoppedEpoch { get; private set; }

    /// <summary>The best value seen.</summary>
    public double BestScore { get; private set; }

    /// <summary>Why training was stopped, if it was.</summary>
    public EarlyStoppingReason StoppingReason { get; private set; }

    /// <summary>The explanation of the stop, or null.</summary>
    public string? StoppingReasonMessage { get; private set; }

    /// <inheritdoc />
    protected internal override bool MonitorsMetrics => true;

    /// <inheritdoc />
    public override string StateKey => $"EarlyStopping{{'monitor': '{Monitor}', 'mode': '{Mode.ToString().ToLowerInvariant()}'}}";

    /// <inheritdoc />
    public override void Setup(Trainer trainer, LightningModule module, Stage stage) =>
        _checkOnTrainEpochEnd ??= trainer.Options.ValCheckInterval.Fraction is 1.0 && trainer.Options.CheckValEveryNEpoch == 1;

    /// <inheritdoc />
    public override void OnTrainEpochEnd(Trainer trainer, LightningModule module)
    {
        // An epoch cut short (MaxSteps, MaxTime) ends before its validation, so a validation metric may not exist yet.
        var cutShort = trainer.BatchesCompletedInEpoch < trainer.NumTrainingBatches && !trainer.CallbackMetrics.ContainsKey(Monitor);
        if (_checkOnTrainEpochEnd == true && !SkipCheck(trainer) && !cutShort) Check(trainer);
    }

    /// <inheritdoc />
    public override void OnValidationEnd(Trainer trainer, LightningModule module)
    {
        if (_checkOnTrainEpochEnd == false && !SkipCheck(trainer)) Check(trainer);
    }

    /// <inheritdoc />
    public override IDictionary<string, object?> StateDict() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["wait_count"] = WaitCount,
        ["stopped_epoch"] = StoppedEpoch,
        ["best_score"] = BestScore,
        ["patience"] = Patience,
        ["stopping_reason"] = StoppingReason.ToString(),
        ["stopping_reason_message"] = StoppingReasonMessage,
    };

    /// <inheritdoc />
    public override void LoadStateDict(IReadOnlyDictionary<string, object?> state)
    {
        WaitCount = Convert.ToInt32(state["wait_count"], CultureInfo.InvariantCulture);
        StoppedEpoch = Convert.ToInt32(state["stopped_epoch"], CultureInfo.InvariantCulture);
        BestScore = Convert.ToDouble(state["best_score"], CultureInfo.InvariantCulture);
        StoppingReason = state.GetValueOrDefault("stopping_reason") is string reason ? Enum.Parse<EarlyStoppingReason>(reason) : EarlyStoppingReason.NotStopped;
        StoppingReasonMessage = state.GetValueOrDefault("stopping_reason_message") as string;
    }

    private static bool SkipCheck(Trainer trainer) => trainer.State.Fn != Stage.Fit || trainer.SanityChecking || trainer.FastDev;

    private void Check(Trainer trainer)
    {
        if (!trainer.CallbackMetrics.TryGetValue(Monitor, out var current))
        {
            var missing = new MissingMetricException(Monitor, trainer.CallbackMetrics.Keys, logged =>
                $"EarlyStopping(monitor: \"{Monitor}\") found no metric '{Monitor}'. Logged metrics: {logged}. " +
                $"Log it in the module, for example Log(\"{Monitor}\", loss) in ValidationStep, or change the monitor.");
            if (Strict) throw missing;
            if (Verbose) Output.Warn(missing.Message);
            return;
        }
        var (stop, reason) = Evaluate(current);
        // Any rank's stop stops them all, so every rank leaves the loop at the same point.
        stop = trainer.Strategy.ReduceBooleanDecision(stop, all: false);
        trainer.ShouldStop |= stop;
        if (stop)
        {
            StoppedEpoch = trainer.CurrentEpoch;
            StoppingReasonMessage = reason;
        }
        // Stopping on a non-finite value means training broke: said even when not verbose.
        if (reason is not null && (Verbose || (stop && StoppingReason == EarlyStoppingReason.NonFiniteMetric))) (_output ?? Output.Out).WriteLine(reason);
    }

    private (bool Stop, string? Reason) Evaluate(double current)
    {
        var order = Mode == MonitorMode.Min ? "<" : ">";
        if (CheckFinite && !double.IsFinite(current))
        {
            StoppingReason = EarlyStoppingReason.NonFiniteMetric;
            return (true, Invariant($"Monitored metric {Monitor} = {Python(current)} is not finite. Previous best value was {Python(BestScore, "0.000")}. Signaling Trainer to stop."));
        }
        if (StoppingThreshold is { } threshold && Better(current, threshold))
        {
            StoppingReason = EarlyStoppingReason.StoppingThreshold;
            return (true, Invariant($"Stopping threshold reached: {Monitor} = {current} {order} {threshold}. Signaling Trainer to stop."));
        }
        if (DivergenceThreshold is { } divergence && Better(-current, -divergence))
        {
            StoppingReason = EarlyStoppingReason.DivergenceThreshold;
            return (true, Invariant($"Divergence threshold reached: {Monitor} = {current} {order} {divergence}. Signaling Trainer to stop."));
        }
        if (Better(current - _signedMinDelta, BestScore))
        {
            var message = double.IsFinite(BestScore)
                ? Invariant($"Metric {Monitor} improved by {Math.Abs(BestScore - current):0.000} >= min_delta = {Math.Abs(MinDelta)}. New best score: {current:0.000}")
                : Invariant($"Metric {Monitor} improved. New best score: {current:0.000}");
            BestScore = current;
            WaitCount = 0;
            return (false, message);
        }
        WaitCount++;
        if (WaitCount < Patience) return (false, null);
        StoppingReason = EarlyStoppingReason.PatienceExhausted;
        return (true, Invariant($"Monitored metric {Monitor} did not improve in the last {WaitCount} records. Best score: {BestScore:0.000}. Signaling Trainer to stop."));
    }

    private bool Better(double a, double b) => Mode == MonitorMode.Min ? a < b : a > b;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    // As Python prints a float: nan, inf and -inf rather than .NET's NaN and Infinity.
    private static string Python(double value, string format = "R") =>
        double.IsNaN(value) ? "nan" : double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf") : value.ToString(format, CultureInfo.InvariantCulture);
}
