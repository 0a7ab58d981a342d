namespace Lightning.Tool.Hooks;

/// <summary>
/// One overridable hook of <c>LightningModule&lt;TBatch&gt;</c> as the runtime declares it: its name, its signature
/// in the runtime's words (<c>TBatch</c> for the batch type, types named briefly) and its one-line help.
/// </summary>
/// <param name="Name">The C# method name, e.g. <c>OnTrainEpochEnd</c>.</param>
/// <param name="PythonName">Lightning's name, e.g. <c>on_train_epoch_end</c> or <c>val_dataloader</c>.</param>
/// <param name="Signature">The declaration without modifiers, e.g. <c>StepOutput? TrainingStep(TBatch batch, int batchIdx)</c>.</param>
/// <param name="Help">What the hook is for, one line.</param>
/// <param name="HandWrittenDefault">Whether the runtime's default does something (rather than nothing, or return <c>null</c>).</param>
internal sealed record DeclaredHook(string Name, string PythonName, string Signature, string Help, bool HandWrittenDefault);
