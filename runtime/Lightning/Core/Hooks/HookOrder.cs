namespace Lightning.Hooks;

/// <summary>Where the module's call of a hook falls among the callbacks' calls (Lightning's <c>trainer/call.py</c> and loops).</summary>
internal enum HookOrder
{
    /// <summary>Every callback in turn, then the module.</summary>
    CallbacksFirst,

    /// <summary>The module, then every callback (loading a checkpoint).</summary>
    ModuleFirst,

    /// <summary>
    /// The callbacks other than checkpoint callbacks, the module, then the checkpoint callbacks, so a checkpoint saved
    /// in the hook holds everything the hook did.
    /// </summary>
    CheckpointCallbacksLast,

    /// <summary>
    /// The callbacks that do not monitor metrics, the module, the epoch's metrics, then the monitoring callbacks
    /// (checkpoint callbacks last), so they see what the module logged.
    /// </summary>
    MonitoringCallbacksLast,
}
