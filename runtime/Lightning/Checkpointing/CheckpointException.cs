namespace Lightning;

/// <summary>
/// A checkpoint or state-dict file that cannot be used: missing, truncated, corrupted, of another format, or
/// holding weights that do not fit the module. The message names the file, the problem and the fix; nothing was
/// changed when this is thrown.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public CheckpointException(string? path, string message, Exception? inner = null) : base(message, inner) => Path = path;

    /// <summary>The file the problem is about, when there is one.</summary>
    public string? Path { get; }
}
