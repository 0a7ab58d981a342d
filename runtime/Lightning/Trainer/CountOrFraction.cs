using System.Globalization;

namespace Lightning;

/// <summary>
/// A Lightning option that takes either a whole number (a count of batches) or a fraction (of an epoch),
/// such as <c>LimitTrainBatches</c> or <c>ValCheckInterval</c>: <c>LimitTrainBatches = 10</c> means ten
/// batches, <c>LimitTrainBatches = 0.25</c> a quarter of the epoch, <c>1.0</c> all of it.
/// </summary>
public readonly record struct CountOrFraction
{
    private CountOrFraction(int? count, double? fraction)
    {
        Count = count;
        Fraction = fraction;
    }

    /// <summary>The count, when the value is a whole number.</summary>
    public int? Count { get; }

    /// <summary>The fraction, when the value is a fraction.</summary>
    public double? Fraction { get; }

    /// <summary>The whole epoch (fraction 1.0).</summary>
    public static CountOrFraction All { get; } = new(null, 1.0);

    /// <summary>A number of batches.</summary>
    public static implicit operator CountOrFraction(int count) => new(count, null);

    /// <summary>A fraction of the batches.</summary>
    public static implicit operator CountOrFraction(double fraction) => new(null, fraction);

    /// <summary>
    /// Parses <c>"10"</c> as a count and <c>"0.25"</c> or <c>"1.0"</c> as a fraction, as Lightning's CLI does.
    /// </summary>
    public static CountOrFraction Parse(string text)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)) return count;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction)) return fraction;
        throw new FormatException($"'{text}' is neither a whole number of batches nor a fraction such as 0.25.");
    }

    /// <summary>Whether this selects no batches at all (<c>0</c> or <c>0.0</c>), which turns a stage off.</summary>
    internal bool IsZero => Count == 0 || Fraction == 0.0;

    /// <summary>
    /// How many batches this selects out of <paramref name="total"/> (null when the loader's length is unknown).
    /// </summary>
    internal int Resolve(int? total)
    {
        if (Count is { } c) return total is { } t ? Math.Min(c, t) : c;
        if (total is not { } n) return Fraction >= 1.0 ? int.MaxValue : throw new InvalidOperationException(
            "A fraction of an epoch needs a loader whose length is known; give a whole number of batches instead.");
        return (int)Math.Floor(n * Fraction!.Value);
    }

    /// <summary>Checks the value is a non-negative count or a fraction in [0, 1]; <paramref name="option"/> names the TrainerOptions property.</summary>
    internal void Validate(string option)
    {
        if (Count is < 0)
            throw new ArgumentOutOfRangeException(option, Count, $"TrainerOptions.{option} must be a non-negative number of batches or a fraction in [0.0, 1.0]; it is {Count}.");
        if (Fraction is { } f && (double.IsNaN(f) || f < 0.0 || f > 1.0))
            throw new ArgumentOutOfRangeException(option, f,
                $"TrainerOptions.{option} must be a fraction in [0.0, 1.0] or a whole number of batches; it is {f.ToString(CultureInfo.InvariantCulture)}. " +
                "Use a whole number (for example 15) to give a count of batches.");
    }

    /// <inheritdoc />
    public override string ToString() =>
        Count?.ToString(CultureInfo.InvariantCulture) ?? Fraction!.Value.ToString("0.0###", CultureInfo.InvariantCulture);
}
