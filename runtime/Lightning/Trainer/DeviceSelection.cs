using System.Globalization;

namespace Lightning;

/// <summary>
/// Lightning's <c>devices</c>: <c>"auto"</c>, a count (<c>-1</c> for all), or a list of device indices.
/// </summary>
public readonly record struct DeviceSelection
{
    private DeviceSelection(int count, IReadOnlyList<int>? indices)
    {
        Count = count;
        Indices = indices;
    }

    /// <summary>The number of devices asked for; -1 means all; 0 with no indices means "auto".</summary>
    public int Count { get; }

    /// <summary>Explicit device indices, when given as a list.</summary>
    public IReadOnlyList<int>? Indices { get; }

    /// <summary>Whether the choice is left to the accelerator (<c>"auto"</c>).</summary>
    public bool IsAuto => Count == 0 && Indices is null;

    /// <summary>Let the accelerator choose (one device).</summary>
    public static DeviceSelection Auto { get; } = new(0, null);

    /// <summary>A count of devices; -1 for all of them.</summary>
    public static implicit operator DeviceSelection(int count) =>
        count >= -1 && count != 0
            ? new(count, null)
            : throw new ArgumentOutOfRangeException(nameof(count), count, "Devices must be a positive count, -1 for all devices, a list of indices, or \"auto\".");

    /// <summary>Explicit device indices.</summary>
    public static implicit operator DeviceSelection(int[] indices) =>
        indices.Length > 0 && indices.All(i => i >= 0)
            ? new(indices.Length, indices)
            : throw new ArgumentException("Devices given as a list needs at least one non-negative device index.", nameof(indices));

    /// <summary>Parses <c>auto</c>, <c>2</c>, <c>-1</c> or <c>0,1</c>.</summary>
    public static DeviceSelection Parse(string text)
    {
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase)) return Auto;
        if (text.Contains(','))
            return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"'{text}' is not auto, a device count or a comma-separated list of device indices.");
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsAuto ? "auto" : Indices is { } list ? string.Join(",", list) : Count.ToString(CultureInfo.InvariantCulture);
}
