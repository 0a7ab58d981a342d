namespace Lightning.Hooks;

/// <summary>Whether <c>Log</c> may be called in a hook, and the defaults of its <c>onStep</c> and <c>onEpoch</c> there (Lightning's <c>_FxValidator</c>).</summary>
internal enum HookLog
{
    /// <summary>Allowed; a value is logged per epoch unless <c>onStep</c> says otherwise.</summary>
    PerEpoch,

    /// <summary>Allowed; a value is logged per step unless <c>onEpoch</c> says otherwise.</summary>
    PerStep,

    /// <summary>Not allowed: the hook runs when no loop collects results, so a <c>Log</c> call is an error.</summary>
    Never,
}
