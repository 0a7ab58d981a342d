namespace Lightning;

/// <summary>
/// Adds the callbacks a trainer has unless told otherwise: progress bar, model summary, checkpointing, and the
/// timer that enforces <c>MaxTime</c>. Stateful ones are made once per trainer, so a <c>Test(ckptPath: "best")</c>
/// after <c>Fit</c> finds the checkpoint callback that fitting used.
/// </summary>
internal static class DefaultCallbacks
{
    public static void AddMissing(Trainer trainer, List<Callback> callbacks)
    {
        var options = trainer.Options;
        if (options.EnableProgressBar && !callbacks.OfType<ProgressBar>().Any())
            callbacks.Add(new ProgressBar());
        if (options.EnableModelSummary && !trainer.FastDev && !callbacks.OfType<ModelSummary>().Any())
            callbacks.Add(new ModelSummary());
        if (options.EnableCheckpointing && !trainer.FastDev && !callbacks.OfType<ModelCheckpoint>().Any())
            callbacks.Add(Once(trainer, () => new ModelCheckpoint()));
        if (options.MaxTime is { } maxTime)
        {
            if (callbacks.OfType<Timer>().Any())
                Output.Warn("TrainerOptions.MaxTime is ignored because a Timer callback is given; set the limit on the Timer.");
            else
                callbacks.Add(Once(trainer, () => new Timer(maxTime)));
        }
    }

    private static T Once<T>(Trainer trainer, Func<T> create) where T : Callback =>
        (T)(trainer.DefaultCallbackInstances.TryGetValue(typeof(T), out var made) ? made : trainer.DefaultCallbackInstances[typeof(T)] = create());
}
