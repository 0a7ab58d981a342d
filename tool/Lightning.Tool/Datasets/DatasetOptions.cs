using System.CommandLine;
using System.Globalization;

namespace Lightning.Tool.Datasets;

/// <summary>Options several data set kinds share: batch size, split fractions and the shuffling seed.</summary>
internal static class DatasetOptions
{
    /// <summary><c>--batch-size</c>.</summary>
    public static Option<int> BatchSize(int defaultValue) => WholeNumber("--batch-size", "Examples per batch.", defaultValue, minimum: 1);

    /// <summary>
    /// An option taking a whole number of at least <paramref name="minimum"/>. Parsed here rather than by
    /// System.CommandLine, whose failed conversion (say of 99999999999) surfaces as an exception in validators.
    /// </summary>
    public static Option<int> WholeNumber(string name, string description, int defaultValue, int minimum) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Join(' ', r.Tokens.Select(t => t.Value));
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum) return value;
            r.AddError($"{name} must be a whole number from {minimum} to {int.MaxValue}, not '{text}'.");
            return defaultValue;
        },
    };

    /// <summary><c>--val-fraction</c> or <c>--test-fraction</c>.</summary>
    public static Option<double> Fraction(string name, double defaultValue, string what) => new(name)
    {
        Description = $"The fraction of the examples held out for {what} (0 to keep none).",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Join(' ', r.Tokens.Select(t => t.Value));
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value < 1) return value;
            r.AddError($"{name} must be a number at least 0 and below 1, not '{text}'.");
            return defaultValue;
        },
    };

    /// <summary><c>--seed</c>.</summary>
    public static Option<int> Seed() => WholeNumber("--seed", "The seed of the split into training, validation and test examples.", 42, minimum: 0);

    /// <summary><c>--path</c>.</summary>
    public static Option<string> Path(string defaultValue, string description) => new("--path")
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = "path",
    };
}
