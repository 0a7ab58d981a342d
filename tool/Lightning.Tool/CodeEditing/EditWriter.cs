using Lightning.IO;

namespace Lightning.Tool.CodeEditing;

/// <summary>
/// Applies file edits: first checks that every target can be written, so a read-only file stops the command
/// before anything changed; then writes each file atomically (<see cref="AtomicReplace"/>, shared with the runtime: a
/// temporary file in the same folder, then a rename and a folder sync), keeping its encoding, byte-order mark and
/// permissions.
/// </summary>
internal static class EditWriter
{
    /// <summary>Checks every edit's target and then writes them all.</summary>
    public static void Apply(IReadOnlyList<FileEdit> edits)
    {
        foreach (var edit in edits) EnsureWritable(edit);
        foreach (var edit in edits) Write(edit);
    }

    /// <summary>Shows the edits as a unified diff, changing nothing.</summary>
    public static void PrintDiff(IReadOnlyList<FileEdit> edits, string baseDirectory, TextWriter output)
    {
        foreach (var edit in edits)
            output.Write(UnifiedDiff.Create(Path.GetRelativePath(baseDirectory, edit.File.Path).Replace('\\', '/'),
                edit.IsNew ? null : edit.File.Text, edit.NewText));
    }

    private static void EnsureWritable(FileEdit edit)
    {
        var path = Target(edit.File.Path);
        var folder = Path.GetDirectoryName(path)!;
        if (edit.IsNew)
        {
            if (Directory.Exists(folder) && IsReadOnly(folder, isDirectory: true))
                throw new ToolException($"Cannot create {path}: its folder is read-only. Make the folder writable and run again.");
            return;
        }
        if (IsReadOnly(path, isDirectory: false))
            throw new ToolException($"{path} is read-only, so nothing was changed. Make it writable (chmod u+w, or clear the read-only attribute) and run again.");
        if (IsReadOnly(folder, isDirectory: true))
            throw new ToolException($"The folder of {path} is read-only; the tool writes a temporary file beside it and renames it. Make the folder writable and run again.");
    }

    // A symbolic link stays a link: the file it points to is what gets edited (renaming onto the link would replace it).
    private static string Target(string path) =>
        File.Exists(path) && new FileInfo(path).LinkTarget is not null ? File.ResolveLinkTarget(path, returnFinalTarget: true)!.FullName : path;

    // Root may write anywhere, so the permission bits are read rather than tried: a file its owner marked
    // read-only stays untouched even when the tool runs as root.
    private static bool IsReadOnly(string path, bool isDirectory)
    {
        if (OperatingSystem.IsWindows())
            return !isDirectory && File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly);
        return (File.GetUnixFileMode(path) & UnixFileMode.UserWrite) == 0;
    }

    private static void Write(FileEdit edit)
    {
        var path = Target(edit.File.Path);
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        try
        {
            AtomicReplace.Write(Path.GetFullPath(path), stream => stream.Write(edit.File.Encode(edit.NewText)), (temporary, target) => File.Move(temporary, target, overwrite: true),
                temporary =>
                {
                    if (!edit.IsNew && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
                });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"Cannot write {path}: {e.Message}. The file is unchanged.");
        }
    }
}
