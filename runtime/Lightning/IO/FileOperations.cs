namespace Lightning.IO;

/// <summary>
/// Replaces, deletes and appends to files, retrying for a moment while another program holds one open: on Windows
/// that fails with a sharing violation, a lock violation or access denied, and usually passes once the other program
/// (a virus scanner, a backup, an editor reloading the file) lets go. Elsewhere these failures do not happen.
/// </summary>
internal static class FileOperations
{
    // About 1.5 seconds in all: long enough for a scanner, short enough not to stall training.
    private static readonly TimeSpan[] Waits = [.. new[] { 20, 50, 100, 200, 400, 700 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    private static readonly AsyncLocal<IFileOperations?> Substitute = new();

    /// <summary>Moves <paramref name="source"/> onto <paramref name="destination"/>, replacing it.</summary>
    /// <exception cref="FileInUseException">Another program kept <paramref name="destination"/> open.</exception>
    public static void Replace(string source, string destination) => Retry(destination, "replace", ops => ops.Replace(source, destination));

    /// <summary>Deletes <paramref name="path"/>; nothing happens when it does not exist.</summary>
    /// <exception cref="FileInUseException">Another program kept it open.</exception>
    public static void Delete(string path) => Retry(path, "delete", ops => ops.Delete(path));

    /// <summary>Appends <paramref name="text"/> (UTF-8) to <paramref name="path"/>.</summary>
    /// <exception cref="FileInUseException">Another program kept it open.</exception>
    public static void Append(string path, string text) => Retry(path, "write to", ops => ops.Append(path, text));

    /// <summary>Uses <paramref name="operations"/> in this flow of execution until the result is disposed: a test's failing files.</summary>
    internal static IDisposable Use(IFileOperations operations)
    {
        var previous = Substitute.Value;
        Substitute.Value = operations;
        return new Restore(() => Substitute.Value = previous);
    }

    /// <summary>Whether <paramref name="e"/> is what Windows says while another process holds the file open.</summary>
    internal static bool IsInUse(Exception e) =>
        e is IOException { HResult: var code } && (code & 0xFFFF) is SharingViolation or LockViolation
        || e is UnauthorizedAccessException && OperatingSystem.IsWindows();

    private const int SharingViolation = 32; // ERROR_SHARING_VIOLATION
    private const int LockViolation = 33; // ERROR_LOCK_VIOLATION

    private static void Retry(string path, string verb, Action<IFileOperations> operation)
    {
        var operations = Substitute.Value ?? SystemFiles.Instance;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                operation(operations);
                return;
            }
            catch (Exception e) when (IsInUse(e))
            {
                if (attempt == Waits.Length)
                    throw new FileInUseException(
                        $"Could not {verb} {path}: another program keeps it open (an editor, a spreadsheet, a virus scanner, a sync client), " +
                        $"and it stayed so for {Waits.Sum(w => w.TotalSeconds):0.#} seconds. Close it there. ({e.Message})", e);
                operations.Wait(Waits[attempt]);
            }
        }
    }

    private sealed class SystemFiles : IFileOperations
    {
        public static readonly SystemFiles Instance = new();

        public void Replace(string source, string destination) => File.Move(source, destination, overwrite: true);

        public void Delete(string path) => File.Delete(path);

        public void Append(string path, string text) => File.AppendAllText(path, text);

        public void Wait(TimeSpan delay) => Thread.Sleep(delay);
    }
}
