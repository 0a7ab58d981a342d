using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning.Precision;

/// <summary>
/// Dynamic loss scaling for float16 training (what PyTorch's <c>GradScaler</c> does, with its defaults): the loss
/// is multiplied by <see cref="Scale"/> before backward so small float16 gradients do not flush to zero; the
/// gradients are divided by it again before clipping and the step. A step whose gradients hold an infinity or
/// NaN is skipped and the scale is multiplied by the backoff factor; after <see cref="GrowthInterval"/> good
/// steps in a row it is multiplied by the growth factor.
/// </summary>
internal sealed class GradScaler
{
    // The optimizers unscaled since the last update, and whether each one's gradients were all finite.
    private readonly Dictionary<Optimizer, bool> _finite = new(ReferenceEqualityComparer.Instance);

    public GradScaler(double initScale = 65536.0, double growthFactor = 2.0, double backoffFactor = 0.5, int growthInterval = 2000)
    {
        if (!(initScale > 0) || double.IsInfinity(initScale))
            throw new ArgumentOutOfRangeException(nameof(initScale), initScale, "The initial loss scale must be a positive finite number.");
        if (!(growthFactor > 1))
            throw new ArgumentOutOfRangeException(nameof(growthFactor), growthFactor, "The growth factor must be greater than 1.");
        if (!(backoffFactor > 0 && backoffFactor < 1))
            throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "The backoff factor must be between 0 and 1.");
        if (growthInterval < 1)
            throw new ArgumentOutOfRangeException(nameof(growthInterval), growthInterval, "The growth interval must be at least 1 step.");
        Scale = initScale;
        GrowthFactor = growthFactor;
        BackoffFactor = backoffFactor;
        GrowthInterval = growthInterval;
    }

    /// <summary>The factor losses are multiplied by.</summary>
    public double Scale { get; private set; }

    /// <summary>What the scale is multiplied by after <see cref="GrowthInterval"/> good steps in a row.</summary>
    public double GrowthFactor { get; private set; }

    /// <summary>What the scale is multiplied by after a step with non-finite gradients.</summary>
    public double BackoffFactor { get; private set; }

    /// <summary>Good steps in a row before the scale grows.</summary>
    public int GrowthInterval { get; private set; }

    /// <summary>Good steps in a row since the scale last changed.</summary>
    public int GrowthTracker { get; private set; }

    /// <summary>Steps skipped because their gradients were not finite, over this scaler's life.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>The loss times the scale, in float32 (a float16 loss times 65536 would overflow).</summary>
    public Tensor ScaleLoss(Tensor loss) => loss.to(ScalarType.Float32) * Scale;

    /// <summary>
    /// Divides the gradients of <paramref name="optimizer"/>'s parameters by the scale, in place, and records whether
    /// they are all finite. Once per optimizer between updates; later calls do nothing, so callers need not track it.
    /// </summary>
    public void Unscale(Optimizer optimizer)
    {
        if (_finite.ContainsKey(optimizer)) return;
        using var scope = NewDisposeScope();
        var inverse = 1.0 / Scale;
        var checks = new List<Tensor>();
        using (no_grad())
        {
            foreach (var parameter in optimizer.parameters())
            {
                if (parameter.grad is not { } grad) continue;
                grad.mul_(inverse);
                checks.Add(grad.isfinite().all());
            }
        }
        // One device-to-host transfer for all parameters.
        _finite[optimizer] = checks.Count == 0 || stack(checks).all().item<bool>();
    }

    /// <summary>Unscales if not done yet, then runs <paramref name="step"/> unless the gradients were not finite. Returns whether it ran.</summary>
    public bool Step(Optimizer optimizer, Action step)
    {
        Unscale(optimizer);
        if (!_finite[optimizer])
        {
            SkippedSteps++;
            return false;
        }
        step();
        return true;
    }

    /// <summary>Adjusts the scale after a step: back off if any gradient since the last update was not finite, else count toward growth.</summary>
    public void Update()
    {
        if (_finite.Count == 0) return;
        if (_finite.Values.All(finite => finite))
        {
            if (++GrowthTracker >= GrowthInterval)
            {
                Scale *= GrowthFactor;
                GrowthTracker = 0;
            }
        }
        else
        {
            Scale *= BackoffFactor;
            GrowthTracker = 0;
        }
        _finite.Clear();
    }

    /// <summary>The scaler's state under PyTorch's <c>GradScaler.state_dict()</c> keys.</summary>
    public IDictionary<string, object?> StateDict() => new Dictionary<string, object?>
    {
        ["scale"] = Scale,
        ["growth_factor"] = GrowthFactor,
        ["backoff_factor"] = BackoffFactor,
        ["growth_interval"] = GrowthInterval,
        ["_growth_tracker"] = GrowthTracker,
    };

    /// <summary>Restores <see cref="StateDict"/>; checks every entry before changing anything.</summary>
    /// <exception cref="ArgumentException">An entry is missing or not a valid number; the message names it.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, object?> state)
    {
        var restored = new GradScaler(
            Number(state, "scale"), Number(state, "growth_factor"), Number(state, "backoff_factor"), (int)Number(state, "growth_interval"));
        var tracker = Number(state, "_growth_tracker");
        if (tracker < 0 || tracker != Math.Floor(tracker))
            throw new ArgumentException($"The loss scaler state's _growth_tracker must be a non-negative whole number; it is {tracker}.", nameof(state));
        Scale = restored.Scale;
        GrowthFactor = restored.GrowthFactor;
        BackoffFactor = restored.BackoffFactor;
        GrowthInterval = restored.GrowthInterval;
        GrowthTracker = (int)tracker;
        _finite.Clear();
    }

    private static double Number(IReadOnlyDictionary<string, object?> state, string key)
    {
        if (!state.TryGetValue(key, out var value) || value is null)
            throw new ArgumentException(
                $"The loss scaler state has no '{key}' entry (it has: {string.Join(", ", state.Keys)}); it was not saved by a 16-mixed run.", nameof(state));
        try
        {
            return value is Tensor tensor ? tensor.ToDouble() : Convert.ToDouble(value, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new ArgumentException($"The loss scaler state's '{key}' entry is not a number: {value}.", nameof(state), e);
        }
    }
}
