namespace Lightning;

/// <summary>
/// Everything about a data set in one reusable class (Lightning's <c>LightningDataModule</c>): how to get it,
/// split it, and load it. Derive from <see cref="LightningDataModule{TBatch}"/>.
/// </summary>
public abstract partial class LightningDataModule
{
    private Dictionary<string, object?> _hparams = new(StringComparer.Ordinal);

    /// <summary>The trainer using this data module, while one is.</summary>
    public Trainer? Trainer { get; internal set; }

    /// <summary>The hyperparameters recorded by <see cref="SaveHyperparameters(IReadOnlyCollection{string})"/>.</summary>
    public IReadOnlyDictionary<string, object?> HParams => _hparams;

    /// <summary>Records the constructor arguments as hyperparameters (see <c>LightningModule.SaveHyperparameters</c>).</summary>
    protected void SaveHyperparameters(IReadOnlyCollection<string>? ignore = null) => _hparams = Hyperparameters.FromConstructor(this, ignore ?? []);

    /// <summary>Records the given values as hyperparameters.</summary>
    protected void SaveHyperparameters(object hyperparameters) => _hparams = Hyperparameters.FromObject(hyperparameters);

    /// <summary>State to save in checkpoints (strings, numbers, booleans, lists and dictionaries of them).</summary>
    public virtual IDictionary<string, object?> StateDict() => new Dictionary<string, object?>();

    /// <summary>Restores state saved by <see cref="StateDict"/>.</summary>
    public virtual void LoadStateDict(IReadOnlyDictionary<string, object?> state) { }
}
