using Lightning.Accelerators;
using Lightning.Tests.Support;
using TorchSharp;

namespace Lightning.Tests.Accelerators;

/// <summary>
/// Locating LibTorch in a PyTorch install. The test process already runs on TorchSharp-cpu's LibTorch, so these
/// check the checks, and that the LibTorch in use is accepted; loading a CUDA PyTorch is bench/gpu-smoke.sh's job.
/// </summary>
[TestClass]
public sealed class LibTorchTests
{
    private static string FakeLibTorch()
    {
        var folder = TempDir.Create();
        foreach (var file in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" }) File.WriteAllBytes(Path.Combine(folder, file), []);
        return folder;
    }

    [TestMethod]
    public void AnotherLibTorchAfterTorchSharpLoadedOneIsRefusedWithTheOrderingFix()
    {
        if (!OperatingSystem.IsLinux()) return;
        var folder = FakeLibTorch();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => LibTorch.Use(folder));
        StringAssert.Contains(error.Message, "already loaded");
        var viaOptions = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(new TrainerOptions { TorchLibPath = folder }));
        StringAssert.Contains(viaOptions.Message, "already loaded");
    }

    [TestMethod]
    public void TheTorchPackageFolderAboveLibIsAccepted()
    {
        if (!OperatingSystem.IsLinux()) return;
        var package = TempDir.Create();
        var lib = Path.Combine(package, "lib");
        Directory.CreateDirectory(lib);
        foreach (var file in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" }) File.WriteAllBytes(Path.Combine(lib, file), []);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => LibTorch.Use(package));
        StringAssert.Contains(error.Message, lib, "the lib folder inside the package is the one asked for");
    }

    [TestMethod]
    public void FoldersWithoutLibTorchAreNamed()
    {
        if (!OperatingSystem.IsLinux()) return;
        var missing = Path.Combine(TempDir.Create(), "nowhere");
        StringAssert.Contains(Assert.ThrowsExactly<DirectoryNotFoundException>(() => LibTorch.Use(missing)).Message, "does not exist");
        var empty = TempDir.Create();
        File.WriteAllBytes(Path.Combine(empty, "libc10.so"), []);
        var error = Assert.ThrowsExactly<DirectoryNotFoundException>(() => LibTorch.Use(empty));
        StringAssert.Contains(error.Message, "libtorch_cpu.so, libtorch.so missing");
    }

    [TestMethod]
    public void MissingPythonIsNamed()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => PythonTorch.LibFolder("python3-that-is-not-installed"));
        StringAssert.Contains(error.Message, "'python3-that-is-not-installed' was not found on PATH");
    }

    [TestMethod]
    public void TheLibTorchInUseIsAccepted()
    {
        if (!OperatingSystem.IsLinux()) return;
        var loaded = Path.GetDirectoryName(LoadedLibraries.PathOf("libtorch_cpu.so"));
        Assert.IsNotNull(loaded, "TorchSharp has loaded LibTorch by now");
        Assert.AreEqual(loaded, LibTorch.Use(loaded));
        Assert.AreEqual(loaded, LibTorch.Location);
        Assert.IsFalse(LibTorch.HasCuda);
        Assert.AreEqual(loaded, LibTorch.Use(loaded), "a second call with the same folder does nothing");
        using var sum = TorchSharp.torch.ones(3).sum();
        Assert.AreEqual(3.0, sum.ToDouble(), "TorchSharp keeps working");
    }
}
