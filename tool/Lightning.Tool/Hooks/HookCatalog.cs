using Lightning.Text;

namespace Lightning.Tool.Hooks;

/// <summary>
/// Every hook a module can override, in Lightning's calling order, and the groups built from them. The hooks are
/// the runtime's declaration (<see cref="DeclaredHooks"/>); the tool adds only how each hook's body is written.
/// </summary>
internal static class HookCatalog
{
    /// <summary>
    /// The hooks whose body is not the default for their kind: an empty body holding the note for a hook whose
    /// default does nothing and returns nothing (<see cref="HookBody.Notification"/>), else a call of the default
    /// (<see cref="HookBody.BaseCall"/>).
    /// </summary>
    internal static IReadOnlyDictionary<string, HookBody> Bodies { get; } = new Dictionary<string, HookBody>(StringComparer.Ordinal)
    {
        ["ConfigureCallbacks"] = new("ConfigureCallbacks"),
        ["ConfigureOptimizers"] = new("ConfigureOptimizers"),
        ["TrainDataLoader"] = new("DataLoader", "train"),
        ["ValDataLoader"] = new("DataLoader", "val"),
        ["TestDataLoader"] = new("DataLoader", "test"),
        ["ValDataLoaders"] = new("DataLoaders", "val"),
        ["TestDataLoaders"] = new("DataLoaders", "test"),
        ["PredictDataLoader"] = new("DataLoader", "predict"),
        ["OnBeforeBatchTransfer"] = new("BatchTransfer"),
        ["OnAfterBatchTransfer"] = new("BatchTransfer"),
        ["TrainingStep"] = new("TrainingStep"),
        ["TrainingEpochEnd"] = new("EpochEndOutputs", "train"),
        ["ValidationStep"] = new("EvaluationStep", "val"),
        ["ValidationEpochEnd"] = new("EpochEndOutputs", "val"),
        ["TestStep"] = new("EvaluationStep", "test"),
        ["TestEpochEnd"] = new("EpochEndOutputs", "test"),
        ["PredictStep"] = new("PredictStep"),
        ["OnSaveCheckpoint"] = new("OnSaveCheckpoint"),
    };

    /// <summary>The hooks, in the order Lightning calls them.</summary>
    public static IReadOnlyList<HookDefinition> Hooks { get; } = [.. DeclaredHooks.Module.Select(Define)];

    /// <summary>The groups: several hooks, callbacks or a scheduler that together add one feature.</summary>
    public static IReadOnlyList<HookGroup> Groups { get; } =
    [
        new("validation", "Validate every epoch: ValidationStep logging val_loss, ValDataLoader, OnValidationEpochEnd.",
            ["ValidationStep", "ValDataLoader", "OnValidationEpochEnd"], []),
        new("test", "Test after fit (Trainer.Test): TestStep logging test_loss, TestDataLoader, OnTestEpochEnd.",
            ["TestStep", "TestDataLoader", "OnTestEpochEnd"], []),
        new("predict", "Predict (Trainer.Predict): PredictStep and PredictDataLoader.", ["PredictStep", "PredictDataLoader"], []),
        new("lr-scheduler", "Give ConfigureOptimizers a learning-rate scheduler (StepLR, stepped every epoch).", [], [], AddsScheduler: true),
        new("early-stopping", "Stop when val_loss stops improving: EarlyStopping in ConfigureCallbacks.", [], ["EarlyStopping"]),
        new("checkpoint", "Keep the best checkpoint by val_loss: ModelCheckpoint in ConfigureCallbacks.", [], ["ModelCheckpoint"]),
    ];

    /// <summary>The hook with this name in any spelling (C#, Python, kebab case), if there is one.</summary>
    public static HookDefinition? FindHook(string name) =>
        Hooks.FirstOrDefault(h => Spelling.Key(h.Name) == Spelling.Key(name));

    /// <summary>The group with this name in any spelling, if there is one.</summary>
    public static HookGroup? FindGroup(string name) =>
        Groups.FirstOrDefault(g => Spelling.Key(g.Name) == Spelling.Key(name));

    private static HookDefinition Define(DeclaredHook hook) =>
        new(hook.Name, hook.PythonName, hook.Signature, hook.Help, Bodies.GetValueOrDefault(hook.Name)
            ?? (hook.HandWrittenDefault || HookSignature.Returns(HookSignature.Parse(hook.Signature)) ? HookBody.BaseCall : HookBody.Notification));

    /// <summary>All names a user may type, for suggestions: groups, then hooks in Python spelling.</summary>
    public static IEnumerable<string> AllNames => Groups.Select(g => g.Name).Concat(Hooks.Select(h => h.PythonName));
}
