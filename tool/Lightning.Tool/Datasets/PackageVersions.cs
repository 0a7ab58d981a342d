using System.Reflection;

namespace Lightning.Tool.Datasets;

/// <summary>
/// The versions of the packages generated code references, as the repository's <c>Directory.Packages.props</c>
/// names them when the tool is built (embedded as assembly metadata), so the tool keeps no copy of them.
/// </summary>
internal static class PackageVersions
{
    private const string Prefix = "PackageVersion:";

    private static readonly Dictionary<string, string> Versions = typeof(PackageVersions).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(a => a.Key.StartsWith(Prefix, StringComparison.Ordinal) && a.Value is not null)
        .ToDictionary(a => a.Key[Prefix.Length..], a => a.Value!, StringComparer.OrdinalIgnoreCase);

    /// <summary>The requirement for package <paramref name="id"/> at the version the tool was built with.</summary>
    public static PackageRequirement Of(string id) =>
        new(id, Versions.TryGetValue(id, out var version) ? version
            : throw new InvalidOperationException($"The tool was built without a version for {id}; Directory.Packages.props must name it."));
}
