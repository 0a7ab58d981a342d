using TorchSharp;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// L1-unstructured pruning at the end of training epochs (Lightning's <c>ModelPruning</c> with
/// <c>pruning_fn="l1_unstructured"</c>): each time, the share <c>amount</c> of the weights still unpruned with the
/// smallest magnitude is pruned, over all pruned parameters together (<see cref="UseGlobalUnstructured"/>) or
/// parameter by parameter. TorchSharp 0.107 has no <c>torch.nn.utils.prune</c> (which keeps <c>weight_orig</c> and
/// <c>weight_mask</c> and multiplies them in a forward pre-hook), so here the masks are applied to the parameters
/// themselves: pruned weights are set to zero and set to zero again after every optimizer step, so every forward
/// sees them pruned and the state dict is always in Lightning's permanent form. The masks go into checkpoints, so a
/// resumed fit keeps them.
/// </summary>
public sealed class ModelPruning : Callback
{
    private const string MasksKey = "pruning_masks";
    private readonly Func<int, double> _amount;
    private readonly HashSet<string> _parameterNames;
    private Dictionary<string, Tensor> _masks = new(StringComparer.Ordinal);

    /// <summary>Creates the callback with the same share pruned at the end of every epoch.</summary>
    /// <param name="amount">The share, in [0, 1], of the still unpruned weights to prune each time.</param>
    /// <param name="parameterNames">The kinds of parameter pruned, by their last name part; default <c>weight</c> and <c>bias</c>, as Lightning.</param>
    /// <param name="useGlobalUnstructured">Rank all pruned parameters' weights together, rather than each parameter's alone.</param>
    public ModelPruning(double amount = 0.5, IEnumerable<string>? parameterNames = null, bool useGlobalUnstructured = true)
        : this(CheckedAmount(amount), parameterNames, useGlobalUnstructured)
    {
    }

    /// <summary>Creates the callback with the share to prune at the end of each epoch (0 for none).</summary>
    public ModelPruning(Func<int, double> amount, IEnumerable<string>? parameterNames = null, bool useGlobalUnstructured = true)
    {
        ArgumentNullException.ThrowIfNull(amount);
        _amount = amount;
        _parameterNames = new HashSet<string>(parameterNames ?? ["weight", "bias"], StringComparer.Ordinal);
        UseGlobalUnstructured = useGlobalUnstructured;
    }

    /// <summary>Whether all pruned parameters are ranked together.</summary>
    public bool UseGlobalUnstructured { get; }

    /// <summary>The share of the pruned parameters' weights that are zero by pruning.</summary>
    public double Sparsity => _masks.Count == 0 ? 0 : 1 - (double)_masks.Values.Sum(m => m.count_nonzero().item<long>()) / _masks.Values.Sum(m => m.numel());

    /// <inheritdoc />
    public override void OnTrainEpochEnd(Trainer trainer, LightningModule module)
    {
        var amount = _amount(trainer.CurrentEpoch);
        if (amount is < 0 or > 1 || double.IsNaN(amount))
            throw new InvalidOperationException($"ModelPruning's amount for epoch {trainer.CurrentEpoch} is {amount}; it must be between 0 and 1.");
        if (amount == 0) return;
        var parameters = Pruned(module);
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            if (UseGlobalUnstructured) Prune(parameters, amount);
            else foreach (var parameter in parameters) Prune([parameter], amount);
        }
        Apply(module);
    }

    /// <inheritdoc />
    public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx) => Apply(module);

    /// <inheritdoc />
    public override void OnSaveCheckpoint(Trainer trainer, LightningModule module, IDictionary<string, object?> checkpoint)
    {
        if (_masks.Count > 0) checkpoint[MasksKey] = _masks.ToDictionary(e => e.Key, e => (object?)e.Value, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public override void OnLoadCheckpoint(Trainer trainer, LightningModule module, IReadOnlyDictionary<string, object?> checkpoint)
    {
        if (checkpoint.GetValueOrDefault(MasksKey) is not Dictionary<string, object?> masks) return;
        WeightCopies.Dispose(_masks);
        _masks = WeightCopies.Clone(masks);
    }

    private List<(string Name, Tensor Parameter)> Pruned(LightningModule module) =>
        module.named_parameters().Where(p => _parameterNames.Contains(p.name[(p.name.LastIndexOf('.') + 1)..])).Select(p => (p.name, (Tensor)p.parameter)).ToList();

    // Zeroes the mask at the smallest |w| among the unpruned entries, as many as amount of them (rounded as PyTorch does).
    private void Prune(IReadOnlyList<(string Name, Tensor Parameter)> parameters, double amount)
    {
        var masks = parameters.Select(p => _masks.TryGetValue(p.Name, out var mask) ? mask : ones_like(p.Parameter)).ToList();
        var scores = cat(parameters.Select((p, i) => where(masks[i].to(ScalarType.Bool), p.Parameter.abs(), tensor(double.PositiveInfinity, p.Parameter.dtype)).flatten()).ToList(), 0);
        var remaining = masks.Sum(m => m.count_nonzero().item<long>());
        var count = (long)Math.Round(amount * remaining, MidpointRounding.ToEven);
        if (count == 0) return;
        var smallest = scores.topk((int)count, largest: false).indexes;
        var flat = cat(masks.Select(m => m.flatten()).ToList(), 0).index_fill_(0, smallest, 0);
        long offset = 0;
        for (var i = 0; i < parameters.Count; i++)
        {
            var (name, parameter) = parameters[i];
            var mask = flat.narrow(0, offset, parameter.numel()).reshape(parameter.shape).clone().DetachFromDisposeScope();
            offset += parameter.numel();
            if (_masks.Remove(name, out var old)) old.Dispose();
            _masks[name] = mask;
        }
    }

    private void Apply(LightningModule module)
    {
        if (_masks.Count == 0) return;
        using var noGrad = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
            if (_masks.TryGetValue(name, out var mask)) parameter.mul_(mask);
    }

    private static Func<int, double> CheckedAmount(double amount)
    {
        if (amount is < 0 or > 1 || double.IsNaN(amount))
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "ModelPruning(amount:) is the share of weights pruned each epoch and must be between 0 and 1, for example 0.5.");
        return _ => amount;
    }
}
