using Lightning.IO;
using Lightning.Tests.Support;

namespace Lightning.Tests.IO;

/// <summary>Replacing, deleting and appending to a file another program holds open, as on Windows.</summary>
[TestClass]
public sealed class FileOperationsTests
{
    [TestMethod]
    public void AHeldFileIsRetriedUntilItIsReleased()
    {
        var path = Path.Combine(TempDir.Create(), "metrics.csv");
        File.WriteAllText(path, "a\n");
        var held = new HeldFiles(_ => true);
        var tries = 0;
        using (FileOperations.Use(new ReleasingAfter(held, 3, () => tries++)))
            FileOperations.Append(path, "b\n");
        Assert.AreEqual("a\nb\n", File.ReadAllText(path));
        Assert.AreEqual(3, held.Refusals);
        Assert.AreEqual(3, held.Waits, "it waits before each new try");
    }

    [TestMethod]
    public void AFileHeldPastTheRetriesFailsNamingItAndWhatToClose()
    {
        var path = Path.Combine(TempDir.Create(), "last.ckpt");
        File.WriteAllText(path, "old");
        var held = new HeldFiles(_ => true);
        using (FileOperations.Use(held))
        {
            var error = Assert.ThrowsExactly<FileInUseException>(() => AtomicFile.WriteAllText(path, "new"));
            StringAssert.Contains(error.Message, $"Could not replace {path}: another program keeps it open");
            StringAssert.Contains(error.Message, "Close it there");
            Assert.IsInstanceOfType<IOException>(error.InnerException);
        }
        Assert.AreEqual("old", File.ReadAllText(path), "the file keeps its content");
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(Path.GetDirectoryName(path)!), "no temporary file is left");
        Assert.IsGreaterThan(1, held.Refusals);
    }

    [TestMethod]
    public void OtherFailuresAreNotRetried()
    {
        var missing = Path.Combine(TempDir.Create(), "no-folder", "metrics.csv");
        var held = new HeldFiles(_ => false);
        using (FileOperations.Use(held))
            Assert.ThrowsExactly<DirectoryNotFoundException>(() => FileOperations.Append(missing, "a"));
        Assert.AreEqual(0, held.Waits);
    }

    // Lets the held files go after a number of refusals, as a virus scanner does once it has read the file.
    private sealed class ReleasingAfter(HeldFiles files, int refusals, Action onTry) : IFileOperations
    {
        public void Replace(string source, string destination) => Try(() => files.Replace(source, destination));

        public void Delete(string path) => Try(() => files.Delete(path));

        public void Append(string path, string text) => Try(() => files.Append(path, text));

        public void Wait(TimeSpan delay) => files.Wait(delay);

        private void Try(Action operation)
        {
            onTry();
            if (files.Refusals == refusals) files.Release();
            operation();
        }
    }
}
