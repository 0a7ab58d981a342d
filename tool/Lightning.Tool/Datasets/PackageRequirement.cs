namespace Lightning.Tool.Datasets;

/// <summary>A NuGet package generated code needs.</summary>
/// <param name="Id">The package id.</param>
/// <param name="Version">The version the tool's generated code is written and tested against.</param>
internal sealed record PackageRequirement(string Id, string Version);
