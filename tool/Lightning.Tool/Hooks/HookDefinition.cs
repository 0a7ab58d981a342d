namespace Lightning.Tool.Hooks;

/// <summary>
/// One overridable hook of <c>LightningModule</c> / <c>LightningModule&lt;TBatch&gt;</c>: its C# name, a one-line
/// help (also the comment the generated stub carries), and the template that renders it.
/// </summary>
/// <param name="Name">The C# method name, e.g. <c>OnTrainEpochEnd</c>.</param>
/// <param name="Help">What the hook is for, one line.</param>
/// <param name="Template">The template under <c>Templates/Hooks</c>; several hooks of the same shape share one.</param>
/// <param name="Stage">For shared templates, which stage the hook belongs to (<c>val</c>, <c>test</c>, ...).</param>
internal sealed record HookDefinition(string Name, string Help, string Template, string? Stage = null)
{
    /// <summary>The Python (PyTorch Lightning) name, e.g. <c>on_train_epoch_end</c> or <c>val_dataloader</c>.</summary>
    public string PythonName => HookNames.ToPython(Name);

    /// <summary>The kebab-case name, e.g. <c>on-train-epoch-end</c>.</summary>
    public string KebabName => PythonName.Replace('_', '-');
}
