using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning;

/// <summary>
/// The base of callbacks that freeze parts of the module before training and unfreeze them later (Lightning's
/// <c>BaseFinetuning</c>): <see cref="FreezeBeforeTraining"/> runs when fitting is set up, and
/// <see cref="FinetuneFunction"/> at the start of every training epoch for every optimizer, where
/// <see cref="UnfreezeAndAddParamGroup"/> makes modules trainable and gives their parameters a parameter group of
/// their own. The groups added go into checkpoints, so a resumed fit rebuilds them before the optimizer's state loads.
/// </summary>
public abstract class BaseFinetuning : Callback
{
    // Per optimizer, the groups added so far: their parameters' names and learning rates.
    private readonly Dictionary<int, List<(List<string> Names, double Lr)>> _added = [];
    private LightningModule? _module;
    private Func<OptimizerConfig, OptimizerConfig>? _previousOverride;

    /// <summary>Freezes what should not train at first; called when fitting is set up (and again when it resumes).</summary>
    public abstract void FreezeBeforeTraining(LightningModule module);

    /// <summary>Unfreezes or changes learning rates at the start of training epoch <paramref name="epoch"/>, once per optimizer.</summary>
    public abstract void FinetuneFunction(LightningModule module, int epoch, Optimizer optimizer);

    /// <summary>
    /// Stops <paramref name="modules"/>' parameters from training and puts them in evaluation mode; with
    /// <paramref name="trainBn"/>, batch-norm layers keep training (Lightning's <c>freeze</c>).
    /// </summary>
    public static void Freeze(IEnumerable<nn.Module> modules, bool trainBn = true)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var module in Leaves(modules))
        {
            var trainable = trainBn && module is BatchNorm;
            foreach (var parameter in module.parameters()) parameter.requires_grad = trainable;
            module.train(trainable);
        }
    }

    /// <summary>Lets <paramref name="modules"/>' parameters train and puts them in training mode (Lightning's <c>make_trainable</c>).</summary>
    public static void MakeTrainable(IEnumerable<nn.Module> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var module in Leaves(modules))
        {
            foreach (var parameter in module.parameters()) parameter.requires_grad = true;
            module.train();
        }
    }

    /// <summary>
    /// Makes <paramref name="modules"/> trainable and adds their parameters that <paramref name="optimizer"/> does not
    /// update yet as a new parameter group (Lightning's <c>unfreeze_and_add_param_group</c>): with learning rate
    /// <paramref name="lr"/>, or without one the first group's rate divided by <paramref name="initialDenomLr"/>; the
    /// group's other settings are the optimizer's defaults.
    /// </summary>
    public void UnfreezeAndAddParamGroup(IEnumerable<nn.Module> modules, Optimizer optimizer, double? lr = null, double initialDenomLr = 10.0, bool trainBn = true)
    {
        ArgumentNullException.ThrowIfNull(modules);
        ArgumentNullException.ThrowIfNull(optimizer);
        var list = modules.ToList();
        MakeTrainable(list);
        var groupLr = lr ?? optimizer.ParamGroups.First().LearningRate / initialDenomLr;
        var present = new HashSet<Tensor>(optimizer.parameters(), ReferenceEqualityComparer.Instance);
        var parameters = Leaves(list).Where(m => trainBn || m is not BatchNorm).SelectMany(m => m.parameters(recurse: false))
            .Where(p => p.requires_grad && !present.Contains(p)).Distinct(ReferenceEqualityComparer.Instance).Cast<Parameter>().ToList();
        if (parameters.Count == 0) return;
        AddGroup(optimizer, parameters, groupLr);
        var index = OptimizerIndex(optimizer);
        var names = _module is null ? [] : Names(_module, parameters);
        if (!_added.TryGetValue(index, out var groups)) _added[index] = groups = [];
        groups.Add((names, groupLr));
    }

    /// <inheritdoc />
    public override void Setup(Trainer trainer, LightningModule module, Stage stage)
    {
        if (stage != Stage.Fit) return;
        _module = module;
        FreezeBeforeTraining(module);
        // Before the optimizers' saved state loads, a resumed fit gets back the groups added before the checkpoint.
        _previousOverride = trainer.OptimizerOverride;
        var previous = _previousOverride;
        trainer.OptimizerOverride = config =>
        {
            config = previous?.Invoke(config) ?? config;
            RestoreGroups(module, config.Optimizers);
            return config;
        };
    }

    /// <inheritdoc />
    public override void Teardown(Trainer trainer, LightningModule module, Stage stage)
    {
        if (stage != Stage.Fit) return;
        trainer.OptimizerOverride = _previousOverride;
        _module = null;
    }

    /// <inheritdoc />
    public override void OnTrainEpochStart(Trainer trainer, LightningModule module)
    {
        foreach (var optimizer in trainer.Optimizers) FinetuneFunction(module, trainer.CurrentEpoch, optimizer);
    }

    /// <inheritdoc />
    public override IDictionary<string, object?> StateDict() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["internal_optimizer_metadata"] = _added.ToDictionary(
            e => e.Key.ToString(CultureInfo.InvariantCulture),
            e => (object?)e.Value.Select(g => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["params"] = g.Names.Cast<object?>().ToList(),
                ["lr"] = g.Lr,
            }).ToList(),
            StringComparer.Ordinal),
    };

    /// <inheritdoc />
    public override void LoadStateDict(IReadOnlyDictionary<string, object?> state)
    {
        _added.Clear();
        if (state.GetValueOrDefault("internal_optimizer_metadata") is not IReadOnlyDictionary<string, object?> metadata) return;
        foreach (var (key, value) in metadata)
        {
            var groups = ((IEnumerable<object?>)value!).Cast<IReadOnlyDictionary<string, object?>>()
                .Select(g => (((IEnumerable<object?>)g["params"]!).Select(n => (string)n!).ToList(), Convert.ToDouble(g["lr"], CultureInfo.InvariantCulture)))
                .ToList();
            _added[int.Parse(key, CultureInfo.InvariantCulture)] = groups;
        }
    }

    private void RestoreGroups(LightningModule module, IReadOnlyList<Optimizer> optimizers)
    {
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        foreach (var (index, groups) in _added)
        {
            if (index >= optimizers.Count) continue;
            foreach (var (names, lr) in groups)
            {
                var group = names.Select(n => parameters[n]).ToList();
                foreach (var parameter in group) parameter.requires_grad = true;
                AddGroup(optimizers[index], group, lr);
            }
        }
    }

    private int OptimizerIndex(Optimizer optimizer)
    {
        var optimizers = _module?.Trainer?.Optimizers ?? [];
        for (var i = 0; i < optimizers.Count; i++)
            if (ReferenceEquals(optimizers[i], optimizer)) return i;
        return 0;
    }

    private static List<string> Names(LightningModule module, List<Parameter> parameters)
    {
        var wanted = new HashSet<Tensor>(parameters, ReferenceEqualityComparer.Instance);
        return module.named_parameters().Where(p => wanted.Contains(p.parameter)).Select(p => p.name).ToList();
    }

    // TorchSharp's optimizers each have their own ParamGroup and Options types; the group takes the optimizer's
    // defaults for every setting but the learning rate, as PyTorch's add_param_group does.
    private static void AddGroup(Optimizer optimizer, IReadOnlyList<Parameter> parameters, double lr)
    {
        if (optimizer is Optimizers.IMultiTensorOptimizer)
            throw new NotSupportedException(
                $"{optimizer.GetType().FullName} keeps its parameters in fixed buffers, so it cannot take a new parameter group for fine-tuning. " +
                "Use TorchSharp's optimizer of the same name (torch.optim) with BaseFinetuning.");
        var groupType = Hierarchy(optimizer.GetType()).Select(t => t.GetNestedType("ParamGroup")).FirstOrDefault(t => t is not null)
            ?? throw new NotSupportedException($"{optimizer.GetType().Name} has no ParamGroup type, so BaseFinetuning cannot add a parameter group to it.");
        var constructor = groupType.GetConstructors().FirstOrDefault(c => c.GetParameters() is { Length: 2 } p && p[0].ParameterType == typeof(IEnumerable<Parameter>))
            ?? throw new NotSupportedException($"{groupType.FullName} cannot be made from parameters and options.");
        var options = (OptimizerOptions)Activator.CreateInstance(constructor.GetParameters()[1].ParameterType)!;
        options.LearningRate = lr;
        var group = (ParamGroup)constructor.Invoke([parameters, options]);
        ((OptimizerHelper)optimizer).add_param_group(group);
    }

    private static IEnumerable<Type> Hierarchy(Type? type)
    {
        for (; type is not null; type = type.BaseType) yield return type;
    }

    // Every module without children, so a batch-norm layer inside a frozen block is seen as one.
    private static IEnumerable<nn.Module> Leaves(IEnumerable<nn.Module> modules) =>
        modules.SelectMany(m => m.named_modules().Select(n => n.module).Prepend(m)).Where(m => !m.named_children().Any()).Distinct(ReferenceEqualityComparer.Instance).Cast<nn.Module>();
}
