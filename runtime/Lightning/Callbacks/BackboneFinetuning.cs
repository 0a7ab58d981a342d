using System.Reflection;
using TorchSharp;
using static TorchSharp.torch.optim;

namespace Lightning;

/// <summary>
/// Freezes the module's <c>Backbone</c> (a public property or field of that name holding a module) before training
/// and unfreezes it at <see cref="UnfreezeBackboneAtEpoch"/> with a parameter group of its own, whose learning rate
/// starts at <see cref="BackboneInitialRatioLr"/> times the first group's (or <see cref="BackboneInitialLr"/>) and then
/// grows by <c>lambdaFunc(epoch + 1)</c> each epoch, never above the first group's with <see cref="ShouldAlign"/>
/// (Lightning's <c>BackboneFinetuning</c>). Make the optimizer from the parameters that train as a list,
/// <c>SGD(parameters().Where(p =&gt; p.requires_grad).ToList(), lr)</c>: TorchSharp's parameter groups enumerate their
/// parameters at every step, so a lazy filter would take in the backbone once it unfreezes.
/// </summary>
public sealed class BackboneFinetuning : BaseFinetuning
{
    private readonly Func<int, double> _lambdaFunc;
    private double? _previousBackboneLr;

    /// <summary>Creates the callback.</summary>
    /// <param name="unfreezeBackboneAtEpoch">The epoch (0-based) at whose start the backbone starts training.</param>
    /// <param name="lambdaFunc">The factor on the backbone's rate for the next epoch; default 1.5 every epoch.</param>
    /// <param name="backboneInitialRatioLr">The backbone's first rate as a share of the first group's.</param>
    /// <param name="backboneInitialLr">The backbone's first rate; overrides the ratio.</param>
    /// <param name="shouldAlign">Keep the backbone's rate at most the first group's.</param>
    /// <param name="trainBn">Whether the backbone's batch-norm layers train while it is frozen.</param>
    /// <param name="backbone">Where the backbone is; default the module's <c>Backbone</c> member.</param>
    public BackboneFinetuning(int unfreezeBackboneAtEpoch = 10, Func<int, double>? lambdaFunc = null, double backboneInitialRatioLr = 0.1,
        double? backboneInitialLr = null, bool shouldAlign = true, bool trainBn = true, Func<LightningModule, torch.nn.Module>? backbone = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unfreezeBackboneAtEpoch);
        UnfreezeBackboneAtEpoch = unfreezeBackboneAtEpoch;
        _lambdaFunc = lambdaFunc ?? (_ => 1.5);
        BackboneInitialRatioLr = backboneInitialRatioLr;
        BackboneInitialLr = backboneInitialLr;
        ShouldAlign = shouldAlign;
        TrainBn = trainBn;
        Backbone = backbone ?? FindBackbone;
    }

    /// <summary>The epoch at whose start the backbone unfreezes.</summary>
    public int UnfreezeBackboneAtEpoch { get; }

    /// <summary>The backbone's first rate as a share of the first group's.</summary>
    public double BackboneInitialRatioLr { get; }

    /// <summary>The backbone's first rate, if given.</summary>
    public double? BackboneInitialLr { get; }

    /// <summary>Whether the backbone's rate stays at most the first group's.</summary>
    public bool ShouldAlign { get; }

    /// <summary>Whether batch-norm layers train while frozen.</summary>
    public bool TrainBn { get; }

    /// <summary>Finds the backbone in a module.</summary>
    public Func<LightningModule, torch.nn.Module> Backbone { get; }

    /// <inheritdoc />
    public override void FreezeBeforeTraining(LightningModule module) => Freeze([Backbone(module)], TrainBn);

    /// <inheritdoc />
    public override void FinetuneFunction(LightningModule module, int epoch, Optimizer optimizer)
    {
        var currentLr = optimizer.ParamGroups.First().LearningRate;
        if (epoch == UnfreezeBackboneAtEpoch)
        {
            var initial = BackboneInitialLr ?? currentLr * BackboneInitialRatioLr;
            _previousBackboneLr = initial;
            UnfreezeAndAddParamGroup([Backbone(module)], optimizer, initial, trainBn: TrainBn);
        }
        else if (epoch > UnfreezeBackboneAtEpoch && _previousBackboneLr is { } previous)
        {
            var next = _lambdaFunc(epoch + 1) * previous;
            next = ShouldAlign && next > currentLr ? currentLr : next;
            optimizer.ParamGroups.Last().LearningRate = next;
            _previousBackboneLr = next;
        }
    }

    /// <inheritdoc />
    public override IDictionary<string, object?> StateDict()
    {
        var state = base.StateDict();
        state["previous_backbone_lr"] = _previousBackboneLr;
        return state;
    }

    /// <inheritdoc />
    public override void LoadStateDict(IReadOnlyDictionary<string, object?> state)
    {
        base.LoadStateDict(state);
        _previousBackboneLr = state.GetValueOrDefault("previous_backbone_lr") is { } lr ? Convert.ToDouble(lr, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static torch.nn.Module FindBackbone(LightningModule module)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public;
        var value = module.GetType().GetProperty("Backbone", flags)?.GetValue(module) ?? module.GetType().GetField("Backbone", flags)?.GetValue(module);
        return value as torch.nn.Module ?? throw new InvalidOperationException(
            $"BackboneFinetuning needs {module.GetType().Name} to have a public Backbone property holding a module, or pass backbone: m => ((MyModel)m).Encoder.");
    }
}
