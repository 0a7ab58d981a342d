using System.Globalization;

namespace Lightning;

/// <summary>
/// Lightning's <c>fast_dev_run</c>: <see langword="true"/> runs one batch of each stage, a number n runs
/// n batches; loggers, checkpoints and the rest of the epochs are skipped.
/// </summary>
public readonly record struct FastDevRun
{
    private FastDevRun(int batches) => Batches = batches;

    /// <summary>Batches per stage; 0 when off.</summary>
    public int Batches { get; }

    /// <summary>Whether fast-dev-run is on.</summary>
    public bool Enabled => Batches > 0;

    /// <summary><see langword="true"/>: one batch per stage; <see langword="false"/>: off.</summary>
    public static implicit operator FastDevRun(bool enabled) => new(enabled ? 1 : 0);

    /// <summary>n batches per stage; 0 turns it off.</summary>
    public static implicit operator FastDevRun(int batches) =>
        batches >= 0
            ? new(batches)
            : throw new ArgumentOutOfRangeException(nameof(batches), batches, "FastDevRun must be true, false or a non-negative number of batches.");

    /// <summary>Parses <c>true</c>, <c>false</c> or a number, as the CLI gives it.</summary>
    public static FastDevRun Parse(string text) =>
        bool.TryParse(text, out var on) ? on
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
        : throw new FormatException($"'{text}' is not true, false or a number of batches.");

    /// <inheritdoc />
    public override string ToString() => Batches switch { 0 => "false", 1 => "true", var n => n.ToString(CultureInfo.InvariantCulture) };
}
