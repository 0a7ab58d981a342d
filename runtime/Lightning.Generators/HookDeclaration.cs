using System.Text;

namespace Lightning.Generators;

/// <summary>
/// One hook as <c>HookDeclarations.cs</c> declares it, in plain text: what the runtime's and the tool's emitters
/// need, with no Roslyn symbols, so the same model serves a compilation without the runtime's types.
/// </summary>
internal sealed class HookDeclaration(
    string name, string help, string returnType, IReadOnlyList<HookParameter> parameters,
    HookTargets targets, HookOrder order, HookLog log, bool handWrittenDefault, bool usesBatch)
{
    /// <summary>The batch type parameter's name in the declaration.</summary>
    public const string BatchType = "TBatch";

    /// <summary>The C# name, e.g. <c>OnTrainEpochEnd</c>; also the hook's name while it runs.</summary>
    public string Name { get; } = name;

    /// <summary>Lightning's name, e.g. <c>on_train_epoch_end</c>, <c>val_dataloader</c> (Lightning writes dataloader as one word).</summary>
    public string PythonName { get; } = ToPython(name);

    /// <summary>One line of plain text saying what the hook is for.</summary>
    public string Help { get; } = help;

    /// <summary>The module's return type as written.</summary>
    public string ReturnType { get; } = returnType;

    /// <summary>The module's parameters.</summary>
    public IReadOnlyList<HookParameter> Parameters { get; } = parameters;

    public HookTargets Targets { get; } = targets;

    public HookOrder Order { get; } = order;

    public HookLog Log { get; } = log;

    /// <summary>Whether the module's default is written by hand rather than generated.</summary>
    public bool HandWrittenDefault { get; } = handWrittenDefault;

    /// <summary>Whether the signature mentions the batch type, so the hook lives in the generic <c>LightningModule&lt;TBatch&gt;</c>.</summary>
    public bool UsesBatch { get; } = usesBatch;

    public bool IsVoid => ReturnType == "void";

    public bool ForModule => (Targets & HookTargets.Module) != 0;

    public bool ForCallbacks => (Targets & HookTargets.Callbacks) != 0;

    public bool ForDataModule => (Targets & HookTargets.DataModule) != 0;

    /// <summary>The module's parameter list, e.g. <c>StepOutput outputs, TBatch batch, int batchIdx</c>.</summary>
    public string ParameterList => string.Join(", ", Parameters.Select(p => p.Declaration));

    /// <summary>The arguments passing the module's parameters on, e.g. <c>outputs, batch, batchIdx</c>.</summary>
    public string ArgumentList => string.Join(", ", Parameters.Select(p => p.Name));

    /// <summary>The callback's parameter list: the trainer and the module, then the hook's own, the batch as <c>object</c>.</summary>
    public string CallbackParameterList =>
        string.Join(", ", new[] { "Trainer trainer", "LightningModule module" }.Concat(Parameters.Select(p => $"{p.CallbackType} {p.Name}")));

    /// <summary>The type arguments of the callback's delegate, e.g. <c>Trainer, LightningModule, Stage</c>.</summary>
    public string CallbackTypeArguments =>
        string.Join(", ", new[] { "Trainer", "LightningModule" }.Concat(Parameters.Select(p => p.CallbackType)));

    /// <summary>The name in camel case, e.g. <c>onTrainEpochEnd</c>.</summary>
    public string CamelName => char.ToLowerInvariant(Name[0]) + Name.Substring(1);

    private static string ToPython(string name)
    {
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) text.Append('_');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString().Replace("data_loader", "dataloader");
    }
}
