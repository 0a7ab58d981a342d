namespace Lightning.Precision;

/// <summary>The precision values Lightning accepts, and their aliases.</summary>
internal static class PrecisionNames
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["64-true"] = "64-true", ["64"] = "64-true", ["double"] = "64-true",
        ["32-true"] = "32-true", ["32"] = "32-true",
        ["16-true"] = "16-true",
        ["bf16-true"] = "bf16-true",
        ["16-mixed"] = "16-mixed", ["16"] = "16-mixed",
        ["bf16-mixed"] = "bf16-mixed", ["bf16"] = "bf16-mixed",
    };

    /// <summary>The canonical names.</summary>
    public static IReadOnlyList<string> All { get; } = ["32-true", "64-true", "16-true", "bf16-true", "16-mixed", "bf16-mixed", "16", "32", "64", "bf16"];

    public static bool IsKnown(string value) => Aliases.ContainsKey(value);

    /// <summary>The canonical name of a value or alias (<c>"16"</c> is <c>"16-mixed"</c>, as in Lightning 2.x).</summary>
    public static string Canonical(string value) => Aliases.TryGetValue(value, out var name)
        ? name
        : throw new ArgumentOutOfRangeException(nameof(value), value, $"Unknown precision '{value}'; use one of {string.Join(", ", All)}.");
}
