namespace Lightning.Generators;

/// <summary>Where the module's call falls among the callbacks'; mirrors <c>Lightning.Hooks.HookOrder</c>.</summary>
internal enum HookOrder
{
    CallbacksFirst,
    ModuleFirst,
    CheckpointCallbacksLast,
    MonitoringCallbacksLast,
}
