namespace Lightning;

/// <summary>
/// A search run by a callback when fitting starts (<see cref="LearningRateFinder"/>, <see cref="BatchSizeFinder"/>):
/// the search fits the same module and data with a trainer of its own, and afterwards the fit's optimizers are
/// configured again, so they start from the value found (and hold the module's parameters, which a multi-tensor
/// optimizer of the search laid out anew).
/// </summary>
internal static class FitStartSearch
{
    /// <summary>Runs <paramref name="search"/>, then configures the fit's optimizers and hands the result to <paramref name="configured"/>.</summary>
    public static T? Run<T>(Trainer trainer, LightningModule module, string what, Func<Action<Trainer>, T?> search, Action<T>? configured = null)
    {
        if (trainer.FitElsewhere is not { } fit) return default;
        if (trainer.CkptPath is not null)
        {
            Output.Info(trainer, $"The {what} does not run when fitting resumes from a checkpoint: the checkpoint's optimizer state would be lost.");
            return default;
        }
        var result = search(fit);
        trainer.ConfigureOptimizers(module);
        if (result is not null) configured?.Invoke(result);
        return result;
    }
}
