using System.Diagnostics;
using Lightning.IO;
using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>What atomic writes leave in a folder, and that the folder itself is synced.</summary>
[TestClass]
public sealed class AtomicFileTests
{
    [TestMethod]
    public void TheFirstWriteIntoAFolderRemovesTemporaryFilesOfEndedProcessesOnly()
    {
        var folder = TempDir.Create();
        using var ended = Process.Start(new ProcessStartInfo("true"))!;
        ended.WaitForExit();
        // A process that lives until its standard input closes.
        using var running = Process.Start(new ProcessStartInfo("cat") { RedirectStandardInput = true })!;
        try
        {
            var stale = Temporary(folder, "epoch=3-step=9.ckpt", ended.Id);
            var othersWrite = Temporary(folder, "epoch=4-step=12.ckpt", running.Id);
            var ownWrite = Temporary(folder, "last.ckpt", Environment.ProcessId);
            var foreign = Path.Combine(folder, ".editor-swap.tmp");
            File.WriteAllText(foreign, "not ours");

            AtomicFile.WriteAllText(Path.Combine(folder, "hparams.yaml"), "{}\n");

            Assert.IsFalse(File.Exists(stale), "the ended process's temporary file is removed");
            Assert.IsTrue(File.Exists(othersWrite), "a running process may still be writing its file");
            Assert.IsTrue(File.Exists(ownWrite), "this process may be writing its file on another thread");
            Assert.IsTrue(File.Exists(foreign), "a file not named as an atomic write's is not touched");
        }
        finally
        {
            running.StandardInput.Close();
            running.WaitForExit();
        }
    }

    [TestMethod]
    public void SyncingAFolderOpensIt()
    {
        var folder = TempDir.Create();
        Folders.Sync(folder);
        var missing = Path.Combine(folder, "missing");
        if (OperatingSystem.IsWindows())
        {
            Folders.Sync(missing);
            return;
        }
        var error = Assert.ThrowsExactly<IOException>(() => Folders.Sync(missing));
        StringAssert.Contains(error.Message, missing);
    }

    private static string Temporary(string folder, string name, int pid)
    {
        var path = Path.Combine(folder, $".{name}.{pid}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(path, "half a checkpoint");
        return path;
    }
}
