using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Checkpointing;

/// <summary>
/// The part of a checkpoint restored once the sanity check has run, just before training continues: the
/// random-number state, the metric values, the validation step counter and any gradients carried between
/// batches. Restoring them earlier would let the sanity check change them.
/// </summary>
internal sealed class FitResume : IDisposable
{
    private readonly Tensor _rngState;
    private readonly long? _seed;
    private readonly Dictionary<string, object?> _metrics;
    private readonly long _validationLoggedSteps;
    private readonly Dictionary<string, Tensor> _gradients;

    /// <summary>Takes the entries from a checkpoint, copying the tensors it keeps (the checkpoint's are disposed after restoring).</summary>
    public FitResume(Dictionary<string, object?> rngStates, Dictionary<string, object?> metrics, long validationLoggedSteps,
        Dictionary<string, object?>? gradients)
    {
        _rngState = ((Tensor)rngStates["torch"]!).clone();
        _seed = rngStates.GetValueOrDefault("seed") is { } seed ? Convert.ToInt64(seed, CultureInfo.InvariantCulture) : null;
        _metrics = metrics;
        _validationLoggedSteps = validationLoggedSteps;
        _gradients = (gradients ?? []).ToDictionary(g => g.Key, g => ((Tensor)g.Value!).clone(), StringComparer.Ordinal);
    }

    /// <summary>Restores the deferred state.</summary>
    public void Apply(Trainer trainer, LightningModule module)
    {
        trainer.Progress.ValidationLoggedSteps = _validationLoggedSteps;
        trainer.Logging.LoadStateDict(_metrics);
        torch.set_rng_state(_rngState);
        if (_seed is { } seed) Trainer.Seed = seed;
        foreach (var (name, parameter) in module.named_parameters())
            if (_gradients.TryGetValue(name, out var gradient)) parameter.grad = gradient.to(parameter.device, copy: true);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _rngState.Dispose();
        foreach (var gradient in _gradients.Values) gradient.Dispose();
    }
}
