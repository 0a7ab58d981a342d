namespace Lightning.Hooks;

/// <summary>
/// Marks a method of <see cref="IHookDeclarations{TBatch}"/> as a hook. The source generator in
/// <c>runtime/Lightning.Generators</c> reads these attributes from the declaration's syntax, so their arguments must be
/// written out as literals and enum members (no constants or expressions).
/// </summary>
/// <param name="help">What the hook is for, one line of plain text: the XML documentation of every generated copy.</param>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class HookAttribute(string help) : Attribute
{
    /// <summary>What the hook is for, one line of plain text.</summary>
    public string Help { get; } = help;

    /// <summary>Who gets the hook; the module by default.</summary>
    public HookTargets Targets { get; set; } = HookTargets.Module;

    /// <summary>Where the module's call falls among the callbacks' calls, when both get the hook.</summary>
    public HookOrder Order { get; set; } = HookOrder.CallbacksFirst;

    /// <summary>Whether <c>Log</c> may be called in the hook, and where its values go by default.</summary>
    public HookLog Log { get; set; } = HookLog.PerEpoch;

    /// <summary>
    /// Whether the module's (and data module's) default implementation is written by hand, in
    /// <c>LightningModule.cs</c>, <c>LightningModule{TBatch}.cs</c> or the data module's files, because it does
    /// something. Otherwise it is generated: an empty body, or <c>null</c> for a nullable return.
    /// </summary>
    public bool HandWrittenDefault { get; set; }
}
