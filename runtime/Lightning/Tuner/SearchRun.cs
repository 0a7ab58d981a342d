namespace Lightning;

/// <summary>
/// The short fits a search is made of, with their own trainer so the user's trainer keeps its counters, callbacks
/// and loggers: its options, limited by steps alone, without loggers, checkpoints, progress bar, summary, profiler, minimums
/// or time limit, and
/// only the search's callbacks (the module's <c>ConfigureCallbacks</c> and the default callbacks do not run there).
/// </summary>
internal static class SearchRun
{
    /// <summary>A trainer for one search run; <paramref name="adjust"/> sets its limits.</summary>
    /// <exception cref="NotSupportedException">The trainer trains in several processes.</exception>
    public static Trainer Trainer(Trainer outer, IReadOnlyList<Callback> callbacks, Action<TrainerOptions> adjust, string what)
    {
        if (outer.WorldSize > 1)
            throw new NotSupportedException(
                $"The {what} runs in one process, and this trainer trains in {outer.WorldSize}. Run it with Devices = 1 (and no mpirun), " +
                "then set the value it found in the data-parallel run.");
        var options = outer.Options.Copy();
        options.Callbacks = [];
        options.Logger = false;
        options.EnableCheckpointing = false;
        options.EnableProgressBar = false;
        options.EnableModelSummary = false;
        options.Profiler = null;
        options.ResumeFromCheckpoint = null;
        // A search is as long as its steps, however few batches an epoch has.
        options.MaxEpochs = null;
        options.MinEpochs = null;
        options.MinSteps = null;
        options.MaxTime = null;
        options.DefaultRootDir = outer.DefaultRootDir;
        adjust(options);
        return new Trainer(options) { OnlyCallbacks = callbacks };
    }
}
