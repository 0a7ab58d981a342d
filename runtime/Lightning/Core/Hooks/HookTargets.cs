namespace Lightning.Hooks;

/// <summary>Who gets a hook. Where the data module gets one, its call comes first; a data module's loaders replace the module's.</summary>
[Flags]
internal enum HookTargets
{
    /// <summary>The <see cref="LightningModule{TBatch}"/> (or its non-generic base, for hooks without a batch).</summary>
    Module = 1,

    /// <summary>Every <see cref="Callback"/>, with the trainer and the module before the hook's own parameters.</summary>
    Callbacks = 2,

    /// <summary>The <see cref="LightningDataModule{TBatch}"/>.</summary>
    DataModule = 4,
}
