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

    /// <summary>
    /// The readable part of <paramref name="inner"/>'s message, for quoting in one: readers quote the bytes they
    /// choke on and LibTorch appends its native stack, so the text ends at the first line break or undecodable
    /// character, and a long one is cut.
    /// </summary>
    internal static string Quote(Exception inner)
    {
        const int longest = 240;
        var message = inner.Message;
        var end = message.AsSpan().IndexOfAny(Unreadable);
        var text = (end < 0 ? message : message[..end]).TrimEnd();
        if (text.Length > longest) text = text[..longest].TrimEnd();
        return text.Length < message.Trim().Length ? text + " ..." : text;
    }

    private static readonly System.Buffers.SearchValues<char> Unreadable = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 32).Select(c => (char)c), '\u007f', '\ufffd']);
}
