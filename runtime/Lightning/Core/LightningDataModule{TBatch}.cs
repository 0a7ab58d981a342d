namespace Lightning;

/// <summary>A data module whose loaders yield <typeparamref name="TBatch"/>, matching a <see cref="LightningModule{TBatch}"/>.</summary>
public abstract partial class LightningDataModule<TBatch> : LightningDataModule
{
    /// <summary>
    /// Several validation loaders, run in turn, each with its <c>dataloaderIdx</c> (Lightning's list from
    /// <c>val_dataloader</c>; logged names get <c>/dataloader_idx_N</c>). The default is <see cref="ValDataLoader"/> alone.
    /// </summary>
    public virtual IReadOnlyList<IEnumerable<TBatch>>? ValDataLoaders() => ValDataLoader() is { } loader ? [loader] : null;

    /// <summary>Several test loaders, as <see cref="ValDataLoaders"/>; the default is <see cref="TestDataLoader"/> alone.</summary>
    public virtual IReadOnlyList<IEnumerable<TBatch>>? TestDataLoaders() => TestDataLoader() is { } loader ? [loader] : null;
}
