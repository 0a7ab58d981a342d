using Lightning.IO;

namespace Lightning.Tests.IO;

/// <summary>
/// Files as Windows treats them while another program holds some open: operations on a held file fail with a sharing
/// violation, all others go to the disk. Waits between tries are counted, not slept.
/// </summary>
internal sealed class HeldFiles : IFileOperations
{
    private const int SharingViolation = unchecked((int)0x80070020);
    private readonly Func<string, bool> _held;

    /// <summary>Holds the files whose name <paramref name="held"/> picks, from now or from <see cref="Hold"/>, until <see cref="Release"/>.</summary>
    public HeldFiles(Func<string, bool> held, bool holding = true) => (_held, Holding) = (held, holding);

    /// <summary>How many operations failed because their file was held.</summary>
    public int Refusals { get; private set; }

    /// <summary>How many times the caller waited before trying again.</summary>
    public int Waits { get; private set; }

    /// <summary>Whether the files are still held.</summary>
    public bool Holding { get; private set; }

    /// <summary>Starts holding the files, as another program opening them.</summary>
    public void Hold() => Holding = true;

    /// <summary>Lets go of the files, as the other program closing them.</summary>
    public void Release() => Holding = false;

    public void Replace(string source, string destination)
    {
        Refuse(destination);
        File.Move(source, destination, overwrite: true);
    }

    public void Delete(string path)
    {
        Refuse(path);
        File.Delete(path);
    }

    public void Append(string path, string text)
    {
        Refuse(path);
        File.AppendAllText(path, text);
    }

    public void Wait(TimeSpan delay) => Waits++;

    private void Refuse(string path)
    {
        if (!Holding || !_held(Path.GetFileName(path))) return;
        Refusals++;
        throw new IOException($"The process cannot access the file '{path}' because it is being used by another process.", SharingViolation);
    }
}
