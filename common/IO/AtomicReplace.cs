using System.Globalization;
using System.Text.RegularExpressions;

namespace Lightning.IO;

/// <summary>
/// The one way the runtime and the tool write a file so that no reader sees half of it: the content goes to a
/// temporary file beside the target, named <c>.&lt;name&gt;.&lt;pid&gt;.&lt;guid&gt;.tmp</c> (so a later run can tell the
/// leftovers of a process that died), is flushed to disk, replaces the target by a rename, and the folder is
/// synced so the rename survives power loss. A failure removes the temporary file and leaves the target as it was.
/// </summary>
internal static partial class AtomicReplace
{
    /// <summary>
    /// Writes what <paramref name="write"/> produces to the full path <paramref name="path"/>, renaming the temporary
    /// file onto it with <paramref name="rename"/> (source, destination) after <paramref name="beforeRename"/> (given the
    /// temporary file's path) has run.
    /// </summary>
    public static void Write(string path, Action<Stream> write, Action<string, string> rename, Action<string>? beforeRename = null)
    {
        var folder = Path.GetDirectoryName(path)!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            beforeRename?.Invoke(temporary);
            rename(temporary, path);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        Folders.Sync(folder);
    }

    /// <summary>Whether <paramref name="fileName"/> is a temporary file of <see cref="Write"/>, and the id of the process that wrote it.</summary>
    public static bool IsTemporary(string fileName, out int processId)
    {
        var match = TemporaryName().Match(fileName);
        processId = 0;
        return match.Success && int.TryParse(match.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out processId);
    }

    [GeneratedRegex(@"^\..+\.(?<pid>\d+)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryName();
}
