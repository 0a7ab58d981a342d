namespace Lightning;

/// <summary>
/// What a <see cref="PrefetchingDataLoader{TBatch}"/> asks its batch function to make: which rows, for which
/// epoch and batch, and a seed for any random augmentation.
/// </summary>
/// <param name="Epoch">The epoch the batch belongs to.</param>
/// <param name="Index">The batch's position in the epoch, from 0.</param>
/// <param name="Rows">The row indices of the batch's examples, in order.</param>
/// <param name="Seed">
/// A seed derived from the loader's seed, the epoch and the batch index alone. Seed random augmentation with it
/// (for example <c>new Random((int)request.Seed)</c>) so a batch is the same whichever worker makes it and however
/// many workers there are; the global generators are shared between threads and their order is not.
/// </param>
public readonly record struct BatchRequest(int Epoch, int Index, long[] Rows, ulong Seed);
