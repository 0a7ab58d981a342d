namespace Lightning.Tool;

/// <summary>Where a command writes and which folder it starts from; tests pass their own.</summary>
/// <param name="Output">Normal output (results, diffs).</param>
/// <param name="Error">Errors and warnings.</param>
/// <param name="WorkingDirectory">The folder relative paths and the default project are resolved against.</param>
internal sealed record ToolContext(TextWriter Output, TextWriter Error, string WorkingDirectory)
{
    /// <summary>Resolves <paramref name="path"/> against <see cref="WorkingDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
