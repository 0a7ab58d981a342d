namespace Lightning;

/// <summary>
/// A loader whose order depends on the epoch (shuffling seeded by seed and epoch). The trainer calls
/// <see cref="SetEpoch"/> before each training epoch, as Lightning calls <c>sampler.set_epoch</c>, so an epoch's
/// order is the same whether training ran straight through or resumed.
/// </summary>
public interface IEpochAware
{
    /// <summary>Sets the epoch the next enumeration belongs to.</summary>
    void SetEpoch(int epoch);
}
