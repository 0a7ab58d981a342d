namespace Lightning;

/// <summary>Adds the callbacks a trainer has unless told otherwise: progress bar and model summary (and checkpointing).</summary>
internal static class DefaultCallbacks
{
    public static void AddMissing(Trainer trainer, List<Callback> callbacks)
    {
        var options = trainer.Options;
        if (options.EnableProgressBar && !callbacks.OfType<ProgressBar>().Any())
            callbacks.Add(new ProgressBar());
        if (options.EnableModelSummary && !trainer.FastDev && !callbacks.OfType<ModelSummary>().Any())
            callbacks.Add(new ModelSummary());
    }
}
