using Lightning.Checkpointing;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// What a search changes and the tuner puts back afterwards, held in memory (Lightning writes a checkpoint file and
/// restores it): the module's weights and buffers, whether it was training, the data module's state, the random-number
/// state and which trainer each is attached to. The weights come back bit for bit.
/// </summary>
internal sealed class TunerSnapshot : IDisposable
{
    private readonly LightningModule _module;
    private readonly LightningDataModule? _dataModule;
    private readonly Dictionary<string, Tensor> _weights;
    private readonly bool _training;
    private readonly Dictionary<string, object?>? _dataModuleState;
    private readonly Tensor _rng;
    private readonly Trainer? _moduleTrainer;
    private readonly Trainer? _dataModuleTrainer;

    public TunerSnapshot(LightningModule module, LightningDataModule? dataModule)
    {
        _module = module;
        _dataModule = dataModule;
        _weights = module.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone(), StringComparer.Ordinal);
        _training = module.training;
        // Through the checkpoint's own conversion, so the copy is what a checkpoint would have held.
        _dataModuleState = dataModule is null
            ? null
            : PickleValues.FromPickleDictionary(PickleValues.ToPickleDictionary(new Dictionary<string, object?>(dataModule.StateDict()), "data module state"));
        _rng = torch.get_rng_state();
        _moduleTrainer = module.Trainer;
        _dataModuleTrainer = dataModule?.Trainer;
    }

    /// <summary>Puts everything back as it was when the snapshot was taken.</summary>
    public void Restore()
    {
        StateDictLoader.Apply(_module, _weights);
        _module.train(_training);
        if (_dataModule is not null && _dataModuleState is not null) _dataModule.LoadStateDict(_dataModuleState);
        torch.set_rng_state(_rng);
        _module.Trainer = _moduleTrainer;
        if (_dataModule is not null) _dataModule.Trainer = _dataModuleTrainer;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var weight in _weights.Values) weight.Dispose();
        _rng.Dispose();
    }
}
