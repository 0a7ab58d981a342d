using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning.Optimizers;

/// <summary>
/// The parameters of one parameter group that share element type and device, in one <see cref="FlatParameters"/>,
/// with each optimizer state slot in one buffer of the same layout whose views are the TorchSharp state objects'
/// tensors. The state objects stay the optimizer's own, so its <c>state_dict</c> and checkpoints are unchanged.
/// </summary>
internal sealed class FlatBucket : IDisposable
{
    private readonly Tensor?[][] _views;
    private Tensor? _scratch;

    public FlatBucket(ParamGroup group, FlatParameters parameters, OptimizerState[] states, int slots)
    {
        Group = group;
        Parameters = parameters;
        States = states;
        Slots = new Tensor?[slots];
        GradientAddresses = new IntPtr[states.Length];
        _views = Enumerable.Range(0, slots).Select(_ => new Tensor?[states.Length]).ToArray();
    }

    /// <summary>The parameter group the parameters belong to (learning rate and other options).</summary>
    public ParamGroup Group { get; }

    /// <summary>The parameters and their gradients.</summary>
    public FlatParameters Parameters { get; }

    /// <summary>The optimizer's state object of each parameter, in buffer order.</summary>
    public OptimizerState[] States { get; }

    /// <summary>Each state slot's buffer; null while no parameter has that state yet (SGD's momentum before the first step).</summary>
    public Tensor?[] Slots { get; }

    /// <summary>Where each parameter's gradient lies, filled by <see cref="FlatGradients.Locate"/> each step; kept from step to step.</summary>
    public IntPtr[] GradientAddresses { get; }

    /// <summary>A buffer laid out as the parameters for intermediate results, kept from step to step.</summary>
    public Tensor Scratch => _scratch ??= Parameters.NewBuffer();

    /// <summary>
    /// Makes every state slot's tensors views of its buffer, copying in tensors that were replaced (by loading a
    /// state, say). False when the bucket cannot be stepped as a whole: some parameters have a state tensor and some
    /// not, or (where <paramref name="checkSteps"/> and the rule counts steps) their step counts differ.
    /// </summary>
    public bool Bind(IUpdateRule rule, bool checkSteps)
    {
        if (checkSteps && rule.CountsSteps)
        {
            var first = rule.StepOf(States[0]);
            foreach (var state in States)
                if (rule.StepOf(state) != first) return false;
        }
        var slots = rule.Slots;
        for (var s = 0; s < slots.Count; s++)
        {
            var views = _views[s];
            bool bound = true, anyNull = false, allNull = true;
            for (var i = 0; i < States.Length; i++)
            {
                var tensor = slots[s].Get(States[i]);
                if (tensor is null) anyNull = true;
                else allNull = false;
                if (!ReferenceEquals(tensor, views[i])) bound = false;
            }
            if (bound) continue;
            if (allNull)
            {
                Slots[s]?.Dispose();
                Slots[s] = null;
                Array.Clear(views);
                continue;
            }
            if (anyNull) return false;
            Slots[s] ??= Parameters.NewBuffer();
            for (var i = 0; i < States.Length; i++)
            {
                var tensor = slots[s].Get(States[i])!;
                if (ReferenceEquals(tensor, views[i])) continue;
                var view = Parameters.View(Slots[s]!, i).DetachFromDisposeScope();
                using (no_grad()) view.copy_(tensor);
                slots[s].Set(States[i], view);
                views[i] = view;
                tensor.Dispose();
            }
        }
        return true;
    }

    /// <summary>Makes <paramref name="buffer"/> (laid out as the parameters) slot <paramref name="slot"/>'s buffer and every state's tensor a view of it.</summary>
    public void Adopt(StateSlot slot, int index, Tensor buffer)
    {
        Slots[index]?.Dispose();
        Slots[index] = buffer.DetachFromDisposeScope();
        for (var i = 0; i < States.Length; i++)
        {
            var view = Parameters.View(buffer, i).DetachFromDisposeScope();
            slot.Set(States[i], view);
            _views[index][i] = view;
        }
    }

    public void Dispose()
    {
        foreach (var slot in Slots) slot?.Dispose();
        _scratch?.Dispose();
        Parameters.Dispose();
    }
}
