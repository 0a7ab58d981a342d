using System.CommandLine;

namespace Lightning.Tool.Datasets;

/// <summary>Options several data set kinds share: batch size, split fractions and the shuffling seed.</summary>
internal static class DatasetOptions
{
    /// <summary><c>--batch-size</c>.</summary>
    public static Option<int> BatchSize(int defaultValue) => new("--batch-size")
    {
        Description = "Examples per batch.",
        DefaultValueFactory = _ => defaultValue,
        Validators = { r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--batch-size must be at least 1."); } },
    };

    /// <summary><c>--val-fraction</c> or <c>--test-fraction</c>.</summary>
    public static Option<double> Fraction(string name, double defaultValue, string what) => new(name)
    {
        Description = $"The fraction of the examples held out for {what} (0 to keep none).",
        DefaultValueFactory = _ => defaultValue,
        Validators = { r => { var v = r.GetValueOrDefault<double>(); if (v < 0 || v >= 1) r.AddError($"{name} must be at least 0 and below 1, not {v}."); } },
    };

    /// <summary><c>--seed</c>.</summary>
    public static Option<int> Seed() => new("--seed")
    {
        Description = "The seed of the split into training, validation and test examples.",
        DefaultValueFactory = _ => 42,
    };

    /// <summary><c>--path</c>.</summary>
    public static Option<string> Path(string defaultValue, string description) => new("--path")
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = "path",
    };
}
