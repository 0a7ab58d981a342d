namespace Lightning.Generators;

/// <summary>Whether and how <c>Log</c> may be called in a hook; mirrors <c>Lightning.Hooks.HookLog</c>.</summary>
internal enum HookLog
{
    PerEpoch,
    PerStep,
    Never,
}
