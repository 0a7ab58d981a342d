using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lightning.Tool.Hooks;

/// <summary>
/// One overridable hook of <c>LightningModule&lt;TBatch&gt;</c>: what the runtime declares (name, signature, a
/// one-line help that is also the comment its stub carries) and the template that writes its body.
/// </summary>
/// <param name="Name">The C# method name, e.g. <c>OnTrainEpochEnd</c>.</param>
/// <param name="PythonName">The Python (PyTorch Lightning) name, e.g. <c>on_train_epoch_end</c> or <c>val_dataloader</c>.</param>
/// <param name="Signature">The declaration without modifiers, in the runtime's words (see <see cref="DeclaredHook"/>).</param>
/// <param name="Help">What the hook is for, one line.</param>
/// <param name="Body">The template that writes its body.</param>
internal sealed record HookDefinition(string Name, string PythonName, string Signature, string Help, HookBody Body)
{
    /// <summary>The declaration, parsed.</summary>
    public MethodDeclarationSyntax Method { get; } = HookSignature.Parse(Signature);

    /// <summary>The kebab-case name, e.g. <c>on-train-epoch-end</c>.</summary>
    public string KebabName => PythonName.Replace('_', '-');

    /// <summary>
    /// Whether this is one of Lightning 0.x's <c>*EpochEnd(outputs)</c> hooks: overriding one makes the Trainer keep
    /// every step's output until the epoch ends.
    /// </summary>
    public bool KeepsEveryOutput => Method.ParameterList.Parameters.Any(p => p.Type?.ToString() == "IReadOnlyList<StepOutput>");
}
