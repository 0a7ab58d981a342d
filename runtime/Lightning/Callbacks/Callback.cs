namespace Lightning;

/// <summary>
/// A self-contained addition to training (Lightning's <c>Callback</c>). Override the hooks you need; the
/// trainer calls each callback's hook before the module's hook of the same name. Batches are passed as
/// <see cref="object"/> because callbacks work with any module. The hooks are generated from the declaration in
/// <c>Core/Hooks/HookDeclarations.cs</c>.
/// </summary>
public abstract partial class Callback
{
    /// <summary>
    /// The key this callback's state is saved under in a checkpoint; callbacks of the same type with
    /// different settings must differ here (Lightning's <c>state_key</c>). Default: the type's name.
    /// </summary>
    public virtual string StateKey => GetType().Name;

    /// <summary>
    /// Whether this callback reacts to logged metrics (checkpointing, early stopping). Such callbacks run after
    /// the others and after the module's epoch-end hooks, so they see the metrics logged there.
    /// </summary>
    protected internal virtual bool MonitorsMetrics => false;

    /// <summary>This callback's state for a checkpoint: strings, numbers, booleans, lists and dictionaries of them.</summary>
    public virtual IDictionary<string, object?> StateDict() => new Dictionary<string, object?>();

    /// <summary>Restores state saved by <see cref="StateDict"/>.</summary>
    public virtual void LoadStateDict(IReadOnlyDictionary<string, object?> state) { }
}
