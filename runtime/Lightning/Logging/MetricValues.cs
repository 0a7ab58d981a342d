using System.Diagnostics.CodeAnalysis;

namespace Lightning.Logging;

/// <summary>
/// Metric values by name, read from the device only when a value is looked at: what <c>CallbackMetrics</c>,
/// <c>LoggedMetrics</c> and <c>ProgressBarMetrics</c> hold, so publishing a step's values costs no device sync.
/// </summary>
/// <param name="holds">Whether entries hold their values (<see cref="MetricValue.Retain"/>): the trainer's dictionaries
/// do, a snapshot passing values on does not.</param>
internal sealed class MetricValues(bool holds = false) : IReadOnlyDictionary<string, double>
{
    private readonly Dictionary<string, MetricValue> _values = new(StringComparer.Ordinal);

    public double this[string key]
    {
        get => _values[key].Value;
        set => Set(key, value);
    }

    /// <summary>Sets <paramref name="key"/> to a value that may still be on the device.</summary>
    public void Set(string key, MetricValue value)
    {
        if (!holds)
        {
            _values[key] = value;
            return;
        }
        value.Retain();
        if (_values.TryGetValue(key, out var old)) old.Release();
        _values[key] = value;
    }

    /// <summary>Reads every value still on the device, so none outlives the run that logged it.</summary>
    public void ReadAll()
    {
        foreach (var value in _values.Values) _ = value.Value;
    }

    /// <summary>The entries as they are, without reading any.</summary>
    public IEnumerable<KeyValuePair<string, MetricValue>> Entries => _values;

    public void Clear()
    {
        if (holds) foreach (var value in _values.Values) value.Release();
        _values.Clear();
    }

    public IEnumerable<string> Keys => _values.Keys;

    public IEnumerable<double> Values => _values.Values.Select(v => v.Value);

    public int Count => _values.Count;

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value)
    {
        var found = _values.TryGetValue(key, out var metric);
        value = found ? metric!.Value : 0;
        return found;
    }

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() =>
        _values.Select(entry => new KeyValuePair<string, double>(entry.Key, entry.Value.Value)).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
