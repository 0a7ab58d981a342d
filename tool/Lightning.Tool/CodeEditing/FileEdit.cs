namespace Lightning.Tool.CodeEditing;

/// <summary>The new text of one file: a change to an existing file or a file to create.</summary>
/// <param name="File">The file as read (for a new file, an empty one carrying the style to write it in).</param>
/// <param name="NewText">The whole new text.</param>
/// <param name="IsNew">Whether the file does not exist yet.</param>
internal sealed record FileEdit(TextFile File, string NewText, bool IsNew = false)
{
    /// <summary>Whether the edit changes anything.</summary>
    public bool ChangesSomething => IsNew || !string.Equals(File.Text, NewText, StringComparison.Ordinal);
}
