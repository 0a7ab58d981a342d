using System.Collections;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// What a step returns: a dictionary of named tensors (<c>out["val_loss"]</c>), where <see cref="Loss"/> is
/// <c>out["loss"]</c>, plus the 0.x-style <see cref="Log"/> and <see cref="ProgressBar"/> dictionaries whose
/// values the trainer logs. A <see cref="Tensor"/> converts to a <see cref="StepOutput"/> holding it as the loss.
/// </summary>
public sealed class StepOutput : IEnumerable<KeyValuePair<string, Tensor>>
{
    private readonly Dictionary<string, Tensor> _values = new(StringComparer.Ordinal);

    /// <summary>The key Lightning reads the loss from.</summary>
    public const string LossKey = "loss";

    /// <summary>Creates an empty output.</summary>
    public StepOutput()
    {
    }

    /// <summary>Creates an output holding <paramref name="loss"/> as its loss.</summary>
    public StepOutput(Tensor loss) => _values[LossKey] = loss;

    /// <summary>A named value of this output.</summary>
    /// <exception cref="KeyNotFoundException">No value has that name; the message lists the names there are.</exception>
    public Tensor this[string name]
    {
        get => _values.TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException(
                $"The step output has no value named '{name}'. It has: {(_values.Count == 0 ? "nothing" : string.Join(", ", _values.Keys))}.");
        set => _values[name] = value;
    }

    /// <summary>The loss (<c>this["loss"]</c>), or <see langword="null"/> when the step returned none.</summary>
    public Tensor? Loss
    {
        get => _values.GetValueOrDefault(LossKey);
        set
        {
            if (value is null) _values.Remove(LossKey);
            else _values[LossKey] = value;
        }
    }

    // Made on first use: most steps return a bare loss, and the trainer handles a StepOutput every step.
    private Dictionary<string, Tensor>? _log;
    private Dictionary<string, Tensor>? _progressBar;

    /// <summary>Values to send to the loggers (Lightning 0.x <c>"log"</c>).</summary>
    public Dictionary<string, Tensor> Log
    {
        get => _log ??= new(StringComparer.Ordinal);
        init => _log = value;
    }

    /// <summary>Values to show in the progress bar (Lightning 0.x <c>"progress_bar"</c>).</summary>
    public Dictionary<string, Tensor> ProgressBar
    {
        get => _progressBar ??= new(StringComparer.Ordinal);
        init => _progressBar = value;
    }

    /// <summary>Whether the 0.x <see cref="Log"/> or <see cref="ProgressBar"/> dictionaries hold anything, without making them.</summary>
    internal bool HasLegacyEntries => _log is { Count: > 0 } || _progressBar is { Count: > 0 };

    /// <summary>The names of the values this output holds.</summary>
    public IEnumerable<string> Keys => _values.Keys;

    /// <summary>Whether a value of that name is present.</summary>
    public bool ContainsKey(string name) => _values.ContainsKey(name);

    /// <summary>Gets a value when present.</summary>
    public bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Tensor value) =>
        _values.TryGetValue(name, out value);

    /// <summary>Lets collection initialisers add values: <c>new StepOutput { { "val_loss", l } }</c>.</summary>
    public void Add(string name, Tensor value) => _values.Add(name, value);

    /// <summary>Wraps a loss tensor.</summary>
    public static implicit operator StepOutput(Tensor loss) => new(loss);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// A copy whose tensors are detached from the graph and survive the step's dispose scope, so an
    /// epoch-end hook can read them. The trainer disposes kept copies after that hook.
    /// </summary>
    internal StepOutput DetachedCopy()
    {
        var copy = new StepOutput();
        foreach (var (key, value) in _values) copy._values[key] = Keep(value);
        foreach (var (key, value) in _log ?? []) copy.Log[key] = Keep(value);
        foreach (var (key, value) in _progressBar ?? []) copy.ProgressBar[key] = Keep(value);
        return copy;

        static Tensor Keep(Tensor t) => t.detach().DetachFromDisposeScope();
    }

    /// <summary>Disposes the tensors of a copy made by <see cref="DetachedCopy"/>.</summary>
    internal void DisposeTensors()
    {
        foreach (var value in _values.Values.Concat(_log?.Values ?? Enumerable.Empty<Tensor>()).Concat(_progressBar?.Values ?? Enumerable.Empty<Tensor>())) value.Dispose();
    }
}
