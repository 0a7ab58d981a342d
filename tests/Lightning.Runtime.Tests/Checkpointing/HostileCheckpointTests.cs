using System.Diagnostics;
using System.IO.Compression;
using Lightning.Checkpointing;
using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>
/// Files made to break the reader, and files it may not read, end in one <see cref="CheckpointException"/> whose
/// message is short, readable text naming the file: no quoted bytes, no native stack, whichever entry point.
/// </summary>
[TestClass]
public sealed class HostileCheckpointTests
{
    [TestMethod]
    public void ARandomPickleIsReportedWithoutItsBytes()
    {
        var path = Path.Combine(TempDir.Create(), "random.ckpt");
        // A pickle whose first instruction imports a module named by 900 random bytes.
        var junk = new byte[900];
        new Random(5).NextBytes(junk);
        byte[] pickle = [0x80, 0x02, (byte)'c', .. junk.Select(b => b == (byte)'\n' ? (byte)0 : b), (byte)'\n', .. "name\n(K\x01tR."u8.ToArray()];
        WriteTorchSaveZip(path, new Dictionary<string, byte[]> { ["archive/data.pkl"] = pickle, ["archive/version"] = "3\n"u8.ToArray() });
        AssertEveryEntryPointRefuses(path, "is truncated or corrupted");
    }

    [TestMethod]
    public void AFolderNamedLikeACheckpointIsCalledAFolder()
    {
        var path = Path.Combine(TempDir.Create(), "x.ckpt");
        Directory.CreateDirectory(path);
        AssertEveryEntryPointRefuses(path, "is a folder, not a");
    }

    [TestMethod]
    public void AShapeBeyondItsStorageIsReportedWithoutTheNativeStack()
    {
        var folder = TempDir.Create();
        var good = Path.Combine(folder, "good.pt");
        using (var model = new TinyModel()) model.SaveStateDict(good);
        var entries = ReadZip(good);
        var pickle = entries.Keys.Single(k => k.EndsWith("data.pkl", StringComparison.Ordinal));
        // Layer.weight's size (2, 8) becomes (2^31-1, 2^31-1) over a storage of 16 floats.
        entries[pickle] = Replace(entries[pickle], [(byte)'(', (byte)'J', 2, 0, 0, 0, (byte)'J', 8, 0, 0, 0, (byte)'t'],
            [(byte)'(', (byte)'J', 0xff, 0xff, 0xff, 0x7f, (byte)'J', 0xff, 0xff, 0xff, 0x7f, (byte)'t']);
        var bomb = Path.Combine(folder, "bomb.pt");
        WriteTorchSaveZip(bomb, entries);
        using var target = new TinyModel();
        AssertReadable(Assert.ThrowsExactly<CheckpointException>(() => target.LoadStateDict(bomb)), bomb, "is truncated or corrupted");
    }

    [TestMethod]
    public void LoadStateDictRefusesACheckpointOfANewerFormatAsTheOtherEntryPointsDo()
    {
        var folder = TempDir.Create();
        var path = SaveCheckpoint(Path.Combine(folder, "good.ckpt"));
        var newer = Path.Combine(folder, "newer.ckpt");
        using (NewDisposeScope())
        {
            var content = TorchSaveFile.Read(path, "checkpoint");
            content["format_version"] = 99L;
            CheckpointFile.Write(newer, content);
        }
        AssertEveryEntryPointRefuses(newer, "Update Lightning.Runtime");
    }

    [TestMethod]
    public void AFileThisUserMayNotReadIsReportedAsSuch()
    {
        var folder = TempDir.Create();
        var path = SaveCheckpoint(Path.Combine(folder, "locked.ckpt"));
        if (OperatingSystem.IsWindows())
        {
            // Windows has no permission bits to take away here; a file another process holds open exclusively is as unreadable.
            using var held = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            AssertEveryEntryPointRefuses(path, "cannot be read");
            return;
        }
        File.SetUnixFileMode(path, UnixFileMode.None);
        if (Environment.UserName != "root")
        {
            AssertEveryEntryPointRefuses(path, "cannot be read");
            return;
        }
        // Root reads any file through its capabilities to bypass permission bits, so a child gives those two up and
        // stays root otherwise: it can still reach the test's own files in a folder only root may enter (a clone in a
        // mktemp -d folder), which a change of user could not.
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search",
                     Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", "exec", typeof(Program).Assembly.Location, "read-checkpoint", path })
            start.ArgumentList.Add(argument);
        using var child = Process.Start(start)!;
        var errors = child.StandardError.ReadToEndAsync();
        var lines = child.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        child.WaitForExit();
        Assert.AreEqual(3, lines.Length, $"a line per entry point; errors: {errors.Result}");
        foreach (var line in lines)
        {
            StringAssert.StartsWith(line, nameof(CheckpointException) + ": ");
            StringAssert.Contains(line, path);
            StringAssert.Contains(line, "cannot be read");
        }
    }

    /// <summary>The child process of the test above: tries each entry point on a file and prints what each threw.</summary>
    internal static int ReadCheckpoint(string path)
    {
        foreach (var entryPoint in EntryPoints(path))
        {
            try
            {
                entryPoint();
                Console.WriteLine("loaded");
            }
            catch (Exception e)
            {
                Console.WriteLine($"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        return 0;
    }

    private static string SaveCheckpoint(string path)
    {
        var trainer = new Trainer(Quiet.Options());
        using var model = new TinyModel();
        trainer.Fit(model, RandomData.Batches(2));
        trainer.SaveCheckpoint(path);
        return path;
    }

    private static IEnumerable<Action> EntryPoints(string path)
    {
        yield return () => new Trainer(Quiet.Options(2)).Fit(new TinyModel(), RandomData.Batches(2), ckptPath: path);
        yield return () => LightningModule.LoadFromCheckpoint<TinyModel>(path).Dispose();
        yield return () =>
        {
            using var model = new TinyModel();
            model.LoadStateDict(path);
        };
    }

    private static void AssertEveryEntryPointRefuses(string path, string expected)
    {
        foreach (var entryPoint in EntryPoints(path)) AssertReadable(Assert.ThrowsExactly<CheckpointException>(entryPoint), path, expected);
    }

    private static void AssertReadable(CheckpointException error, string path, string expected)
    {
        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, expected);
        Assert.IsTrue(error.Message.Length < 600, $"a short message ({error.Message.Length} characters): {error.Message}");
        Assert.IsFalse(error.Message.Any(c => char.IsControl(c) || c == '\uFFFD'), $"only readable text: {error.Message}");
        Assert.IsFalse(error.Message.Contains("frame #", StringComparison.Ordinal), $"no native stack: {error.Message}");
    }

    private static Dictionary<string, byte[]> ReadZip(string path)
    {
        using var archive = ZipFile.OpenRead(path);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }

    private static void WriteTorchSaveZip(string path, Dictionary<string, byte[]> entries)
    {
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in entries)
        {
            using var stream = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
            stream.Write(content);
        }
    }

    private static byte[] Replace(byte[] bytes, byte[] find, byte[] replacement)
    {
        var at = bytes.AsSpan().IndexOf(find);
        Assert.IsTrue(at >= 0, "the pattern is in the pickle");
        return [.. bytes[..at], .. replacement, .. bytes[(at + find.Length)..]];
    }
}
