using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Lightning;

/// <summary>
/// Tracks the time spent training, validating and testing, and stops training when <see cref="Duration"/> has
/// passed (Lightning's <c>Timer</c>). <c>TrainerOptions.MaxTime</c> works through this callback. The training
/// time goes into checkpoints, so a resumed fit keeps counting from where the saved one was.
/// </summary>
public sealed partial class Timer : Callback
{
    private static readonly RunningStage[] Stages = [RunningStage.Training, RunningStage.Validating, RunningStage.Testing];
    private readonly Dictionary<RunningStage, long> _start = [];
    private readonly Dictionary<RunningStage, long> _end = [];
    private readonly TextWriter? _output;
    private TimeSpan _offset;

    /// <summary>Creates the timer.</summary>
    /// <param name="duration">The training time after which to stop; null only measures.</param>
    /// <param name="interval">Whether the limit is checked after every batch or at the end of every epoch.</param>
    /// <param name="verbose">Print a line when the limit stops training.</param>
    /// <param name="output">Where that line goes; default the console.</param>
    public Timer(TimeSpan? duration = null, TimerInterval interval = TimerInterval.Step, bool verbose = true, TextWriter? output = null)
    {
        if (duration < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), duration, "The duration cannot be negative.");
        Duration = duration;
        Interval = interval;
        Verbose = verbose;
        _output = output;
    }

    /// <summary>Creates the timer from Lightning's <c>"DD:HH:MM:SS"</c> form, for example <c>"00:12:00:00"</c> for twelve hours.</summary>
    /// <exception cref="FormatException">The text is not in that form.</exception>
    public Timer(string duration, TimerInterval interval = TimerInterval.Step, bool verbose = true, TextWriter? output = null)
        : this(Parse(duration), interval, verbose, output)
    {
    }

    /// <summary>The training time limit, or null.</summary>
    public TimeSpan? Duration { get; }

    /// <summary>When the limit is checked.</summary>
    public TimerInterval Interval { get; }

    /// <summary>Whether a line is printed when the limit stops training.</summary>
    public bool Verbose { get; }

    /// <summary>Time spent in <paramref name="stage"/> (<c>Training</c>, <c>Validating</c> or <c>Testing</c>); training time includes that of a resumed checkpoint.</summary>
    public TimeSpan TimeElapsed(RunningStage stage = RunningStage.Training)
    {
        var offset = stage == RunningStage.Training ? _offset : TimeSpan.Zero;
        if (!_start.TryGetValue(stage, out var start)) return offset;
        return (_end.TryGetValue(stage, out var end) ? Stopwatch.GetElapsedTime(start, end) : Stopwatch.GetElapsedTime(start)) + offset;
    }

    /// <summary>Time left before the limit, or null without a <see cref="Duration"/>.</summary>
    public TimeSpan? TimeRemaining(RunningStage stage = RunningStage.Training) => Duration - TimeElapsed(stage);

    /// <inheritdoc />
    public override void OnFitStart(Trainer trainer, LightningModule module) => CheckTimeRemaining(trainer);

    /// <inheritdoc />
    public override void OnTrainStart(Trainer trainer, LightningModule module) => Start(RunningStage.Training);

    /// <inheritdoc />
    public override void OnTrainEnd(Trainer trainer, LightningModule module) => _end[RunningStage.Training] = Stopwatch.GetTimestamp();

    /// <inheritdoc />
    public override void OnValidationStart(Trainer trainer, LightningModule module) => Start(RunningStage.Validating);

    /// <inheritdoc />
    public override void OnValidationEnd(Trainer trainer, LightningModule module) => _end[RunningStage.Validating] = Stopwatch.GetTimestamp();

    /// <inheritdoc />
    public override void OnTestStart(Trainer trainer, LightningModule module) => Start(RunningStage.Testing);

    /// <inheritdoc />
    public override void OnTestEnd(Trainer trainer, LightningModule module) => _end[RunningStage.Testing] = Stopwatch.GetTimestamp();

    /// <inheritdoc />
    public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx)
    {
        if (Interval == TimerInterval.Step) CheckTimeRemaining(trainer);
    }

    /// <inheritdoc />
    public override void OnTrainEpochEnd(Trainer trainer, LightningModule module)
    {
        if (Interval == TimerInterval.Epoch) CheckTimeRemaining(trainer);
    }

    /// <inheritdoc />
    public override IDictionary<string, object?> StateDict() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["time_elapsed"] = Stages.ToDictionary(s => Name(s), s => (object?)TimeElapsed(s).TotalSeconds, StringComparer.Ordinal),
    };

    /// <inheritdoc />
    public override void LoadStateDict(IReadOnlyDictionary<string, object?> state)
    {
        if (state.GetValueOrDefault("time_elapsed") is IReadOnlyDictionary<string, object?> elapsed && elapsed.GetValueOrDefault(Name(RunningStage.Training)) is { } seconds)
            _offset = TimeSpan.FromSeconds(Convert.ToDouble(seconds, CultureInfo.InvariantCulture));
    }

    private void Start(RunningStage stage)
    {
        _start[stage] = Stopwatch.GetTimestamp();
        _end.Remove(stage);
    }

    private void CheckTimeRemaining(Trainer trainer)
    {
        // Rank 0's clock decides for every rank.
        if (Duration is not { } duration || !trainer.Strategy.Broadcast(TimeElapsed() >= duration)) return;
        trainer.ShouldStop = true;
        if (Verbose) (_output ?? Output.Out).WriteLine($"Time limit reached. Elapsed time is {TimeSpan.FromSeconds(Math.Floor(TimeElapsed().TotalSeconds))}. Signaling Trainer to stop.");
    }

    // Lightning's stage names, so Python readers of a checkpoint find "train".
    private static string Name(RunningStage stage) => stage switch
    {
        RunningStage.Training => "train",
        RunningStage.Validating => "validate",
        _ => "test",
    };

    private static TimeSpan Parse(string duration)
    {
        var match = DurationPattern().Match(duration.Trim());
        if (!match.Success) throw new FormatException($"Timer(duration: \"{duration}\") is not a valid duration; write it as DD:HH:MM:SS, for example 00:12:00:00.");
        int Part(int i) => int.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture);
        return new TimeSpan(Part(1), Part(2), Part(3), Part(4));
    }

    [GeneratedRegex(@"^(\d+):(\d\d):(\d\d):(\d\d)$")]
    private static partial Regex DurationPattern();
}
