using Lightning.Hooks;

namespace Lightning;

/// <summary>
/// Puts together a run's callbacks (Lightning's <c>_CallbackConnector</c>): the trainer's, those the module's
/// <c>ConfigureCallbacks</c> returns in their place, the defaults, in the one calling order, with distinct state keys.
/// </summary>
internal static class CallbackConnector
{
    /// <summary>Fills <paramref name="callbacks"/> (the trainer's list, which its hook dispatcher reads) for a run of <paramref name="model"/>.</summary>
    /// <exception cref="InvalidOperationException">Two callbacks that keep state share a state key.</exception>
    public static void SetUp(Trainer trainer, LightningModule model, List<Callback> callbacks)
    {
        callbacks.Clear();
        if (trainer.OnlyCallbacks is { } only)
        {
            callbacks.AddRange(only);
            return;
        }
        callbacks.AddRange(trainer.Options.Callbacks);
        var fromModule = trainer.Hooks.Run(HookNames.ConfigureCallbacks, () => model.ConfigureCallbacks().ToList());
        // A module's callbacks replace the trainer's callbacks of the same type, as in Lightning.
        var replaced = fromModule.Select(c => c.GetType()).ToHashSet();
        var overridden = callbacks.Where(c => replaced.Contains(c.GetType())).Select(c => c.GetType().Name).Distinct().ToList();
        if (overridden.Count > 0)
            Output.Info(trainer, $"The following callbacks returned by {model.GetType().Name}.ConfigureCallbacks() replace those of the same type passed to the Trainer: " +
                                 string.Join(", ", overridden));
        callbacks.RemoveAll(c => replaced.Contains(c.GetType()));
        callbacks.AddRange(fromModule);
        DefaultCallbacks.AddMissing(trainer, callbacks);
        var ordered = HookDispatcher.Order(callbacks).ToList();
        callbacks.Clear();
        callbacks.AddRange(ordered);
        var clash = callbacks.Where(KeepsState).GroupBy(c => c.StateKey).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new InvalidOperationException(
                $"{clash.Count()} callbacks share the checkpoint state key \"{clash.Key}\", so their states would overwrite each other in checkpoints. " +
                "Give them different settings (monitor, mode, ...), or override StateKey in your callback.");
    }

    private static bool KeepsState(Callback callback) =>
        callback.GetType().GetMethod(nameof(Callback.StateDict), Type.EmptyTypes)!.DeclaringType != typeof(Callback);
}
