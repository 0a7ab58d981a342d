using System.Collections;
using System.IO.Compression;
using System.IO.Hashing;
using Lightning.IO;
using TorchSharp.PyBridge;

namespace Lightning.Checkpointing;

/// <summary>
/// Files in the format of PyTorch's <c>torch.save</c> (a zip archive holding a pickle and the tensors' bytes),
/// read through TorchSharp.PyBridge and written by <see cref="TorchSaveWriter"/>. Writes are atomic; reads tell a
/// missing, truncated, corrupted or foreign file apart, each with its own message.
/// </summary>
internal static class TorchSaveFile
{
    private static readonly byte[] ZipSignature = [0x50, 0x4b, 0x03, 0x04];

    /// <summary>Writes <paramref name="content"/> (already in <see cref="PickleValues"/> form) to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IDictionary content) =>
        AtomicFile.Write(path, stream => TorchSaveWriter.Write(stream, content));

    /// <summary>
    /// Reads a dictionary written by <c>torch.save</c> or by <see cref="Write"/>. Create it inside a dispose scope:
    /// the tensors it holds are new.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file should be, for messages ("checkpoint", "state_dict file").</param>
    /// <exception cref="CheckpointException">The file is missing, not a <c>torch.save</c> zip, truncated or corrupted.</exception>
    public static Dictionary<string, object?> Read(string path, string what)
    {
        using var stream = OpenRead(path, what);
        var head = new byte[9];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read < 4 || !head.AsSpan(0, 4).SequenceEqual(ZipSignature))
            throw new CheckpointException(path, $"'{path}' is not a {what}: {Foreign(head, read)}");
        stream.Position = 0;
        object? root;
        try
        {
            VerifyChecksums(stream);
            stream.Position = 0;
            root = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        }
        // Any failure to parse means the bytes are not what the writer wrote: zip, deflate and pickle errors alike.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointException(path,
                $"The {what} '{path}' is truncated or corrupted ({CheckpointException.Quote(e)}). It was probably not completely written or was " +
                "damaged afterwards; use an earlier checkpoint.", e);
        }
        return root is IDictionary dictionary
            ? PickleValues.FromPickleDictionary(dictionary)
            : throw new CheckpointException(path, $"'{path}' holds a {root?.GetType().Name ?? "null"} where a {what} holds a dictionary.");
    }

    /// <summary>Opens <paramref name="path"/> to read a <paramref name="what"/>, telling a missing file, a folder and an unreadable file apart.</summary>
    /// <exception cref="CheckpointException">The file cannot be opened; the message says why.</exception>
    public static FileStream OpenRead(string path, string what)
    {
        if (Directory.Exists(path))
        {
            var inside = Directory.EnumerateFiles(path, "*.ckpt").Order(StringComparer.Ordinal).FirstOrDefault();
            throw new CheckpointException(path, $"'{path}' is a folder, not a {what}. Pass the path of a file" +
                                                (inside is null ? "." : $", for example '{inside}'."));
        }
        if (!File.Exists(path))
            throw new CheckpointException(path, $"The {what} '{path}' does not exist. Check the path (relative paths start at {Directory.GetCurrentDirectory()}).");
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new CheckpointException(path,
                $"The {what} '{path}' cannot be read ({CheckpointException.Quote(e)}). Give this user read access to it, or copy it somewhere readable.", e);
        }
    }

    // Zip readers trust the data they inflate; a flipped bit in a tensor would load as a wrong weight. Every entry's
    // CRC-32 is checked first, so damage anywhere is an error and never a silently different model.
    private static void VerifyChecksums(Stream stream)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        var buffer = new byte[1 << 16];
        foreach (var entry in archive.Entries)
        {
            var crc = new Crc32();
            using var data = entry.Open();
            for (int read; (read = data.Read(buffer)) > 0;) crc.Append(buffer.AsSpan(0, read));
            if (crc.GetCurrentHashAsUInt32() != entry.Crc32)
                throw new InvalidDataException($"the entry {entry.FullName} does not match its checksum");
        }
    }

    // Name what the file looks like, so the message can point at the right tool.
    private static string Foreign(byte[] head, int read)
    {
        if (read == 0) return "the file is empty (a save that never started writing?). Use an earlier checkpoint.";
        if (read >= 2 && head[0] == 0x80 && head[1] <= 5)
            return "it is a pickle in PyTorch's legacy format. Re-save it in Python with torch.save(obj, path) from PyTorch 1.6 or later (the zip format).";
        if (read == 9 && head[8] == (byte)'{' && BitConverter.ToUInt64(head) < 100_000_000)
            return "it looks like a safetensors file; load it with module.LoadStateDict(path), which reads .safetensors files.";
        return "Lightning for .NET checkpoints and torch.save files are zip archives, and this file does not start like one.";
    }
}
