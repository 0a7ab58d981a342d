using System.Diagnostics;
using Lightning.IO;

namespace Lightning;

/// <summary>
/// Times what the trainer does, hook by hook (Lightning's <c>Profiler</c>); chosen with
/// <see cref="TrainerOptions.Profiler"/> (<c>"simple"</c> or <c>"advanced"</c>). At the end of each
/// <c>Fit</c>/<c>Validate</c>/<c>Test</c>/<c>Predict</c> the report is printed and written to
/// <c>{stage}-profile.txt</c> in the trainer's <c>LogDir</c>.
/// </summary>
/// <remarks>
/// A hook's time runs from its start to its end, or to the start of a hook called inside it (a checkpoint's
/// <c>OnSaveCheckpoint</c> inside <c>OnTrainEpochEnd</c>), which is timed on its own; the outer hook's time goes
/// on when it resumes, as one call. What the hooks' times leave of the Total is the loops' own work between hooks
/// (fetching batches, logging, progress). Times are wall-clock; work the GPU still does after a hook returns counts
/// where it is waited for.
/// </remarks>
public abstract class Profiler
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Section> _interrupted = [];
    private Section? _running;

    /// <summary>Starts a profiler for one stage (<c>"fit"</c>, <c>"validate"</c>, <c>"test"</c>, <c>"predict"</c>).</summary>
    protected Profiler(string stage) => Stage = stage;

    /// <summary>The stage profiled, which names the report's file.</summary>
    public string Stage { get; }

    /// <summary>The time since the profiler started, the 100 % of the report.</summary>
    protected TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The report: a table of the hooks and their times.</summary>
    public abstract string Summary();

    /// <summary>Takes one finished call of a hook.</summary>
    /// <param name="action">The hook's name.</param>
    /// <param name="duration">Its time, without the hooks called inside it.</param>
    /// <param name="allocatedBytes">What the thread allocated on the managed heap meanwhile.</param>
    protected abstract void Record(string action, TimeSpan duration, long allocatedBytes);

    /// <summary>
    /// Times your own code as an action of the report (Lightning's <c>profiler.profile("name")</c>), from now until
    /// the result is disposed; the hook it runs in pauses meanwhile and goes on afterwards as the same call:
    /// <c>using (Trainer?.Profiler?.Profile("augment")) { ... }</c>.
    /// </summary>
    /// <param name="action">The row's name in the report.</param>
    public IDisposable Profile(string action)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        var outer = _running?.Name;
        Enter(action);
        return new ActionScope(this, outer);
    }

    /// <summary>
    /// <paramref name="hook"/> starts (or, if it is a hook this one interrupted, goes on): the running hook
    /// pauses until then.
    /// </summary>
    internal void Enter(string hook)
    {
        if (_running?.Name == hook) return;
        var resumed = _interrupted.FindLastIndex(s => s.Name == hook);
        if (resumed >= 0)
        {
            Finish(_running);
            for (var i = _interrupted.Count - 1; i > resumed; i--) Finish(_interrupted[i]);
            _running = _interrupted[resumed];
            _interrupted.RemoveRange(resumed, _interrupted.Count - resumed);
            _running.Resume();
            return;
        }
        if (_running is not null)
        {
            _running.Pause();
            _interrupted.Add(_running);
        }
        _running = new Section(hook);
    }

    /// <summary>The hook called last and any it interrupted are over.</summary>
    internal void End()
    {
        Finish(_running);
        for (var i = _interrupted.Count - 1; i >= 0; i--) Finish(_interrupted[i]);
        _interrupted.Clear();
        _running = null;
    }

    /// <summary>Prints the report and writes it to <c>{stage}-profile.txt</c> in <paramref name="logDir"/>, as Lightning's profilers do with a file name.</summary>
    internal void Report(string logDir)
    {
        var report = Summary();
        Output.Out.Write(report);
        AtomicFile.WriteAllText(Path.Combine(logDir, $"{Stage}-profile.txt"), report);
    }

    /// <summary>Makes the profiler <paramref name="name"/> names (<c>"simple"</c>, <c>"advanced"</c>, checked with the options), or none for null or empty.</summary>
    internal static Profiler? Create(string? name, Stage stage)
    {
        var stageName = stage.ToString().ToLowerInvariant();
        return name?.ToLowerInvariant() switch
        {
            null or "" => null,
            "simple" => new SimpleProfiler(stageName),
            _ => new AdvancedProfiler(stageName),
        };
    }

    private void Finish(Section? section)
    {
        if (section is null) return;
        section.Pause();
        Record(section.Name, section.Duration, section.Allocated);
    }

    private sealed class ActionScope(Profiler profiler, string? outer) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            if (outer is null) profiler.End();
            else profiler.Enter(outer);
        }
    }

    private sealed class Section
    {
        private long _startedAt;
        private long _allocatedAtStart;
        private bool _paused;

        public Section(string name)
        {
            Name = name;
            Resume();
        }

        public string Name { get; }

        public TimeSpan Duration { get; private set; }

        public long Allocated { get; private set; }

        public void Resume()
        {
            _paused = false;
            _startedAt = Stopwatch.GetTimestamp();
            _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        }

        public void Pause()
        {
            if (_paused) return;
            _paused = true;
            Duration += Stopwatch.GetElapsedTime(_startedAt);
            Allocated += GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart;
        }
    }
}
