namespace Lightning;

/// <summary>A data module whose loaders yield <typeparamref name="TBatch"/>, matching a <see cref="LightningModule{TBatch}"/>.</summary>
public abstract class LightningDataModule<TBatch> : LightningDataModule
{
    /// <summary>The training batches.</summary>
    public virtual IEnumerable<TBatch>? TrainDataLoader() => null;

    /// <summary>The validation batches.</summary>
    public virtual IEnumerable<TBatch>? ValDataLoader() => null;

    /// <summary>The test batches.</summary>
    public virtual IEnumerable<TBatch>? TestDataLoader() => null;

    /// <summary>The batches to predict on.</summary>
    public virtual IEnumerable<TBatch>? PredictDataLoader() => null;
}
