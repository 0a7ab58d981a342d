using Lightning.Native;
using Lightning.Tests.Native;
using Lightning.Tests.Support;
using TorchSharp;

namespace Lightning.Tests.Accelerators;

/// <summary>
/// Locating LibTorch in a PyTorch install. The test process already runs on TorchSharp-cpu's LibTorch, so these
/// check the checks, and that the LibTorch in use is accepted; loading another LibTorch (a CUDA PyTorch) is what
/// bench/gpu-smoke.sh checks, and with a CPU LibTorch folder it checks the same path on any Linux machine.
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

    private static string LoadedFolder() =>
        Path.GetDirectoryName(ProcessMaps.PathOf("libtorch_cpu.so")) ?? throw new AssertFailedException("TorchSharp has loaded LibTorch by now");

    [TestMethod]
    [OSCondition(OperatingSystems.Linux, IgnoreMessage = "A PyTorch install's LibTorch is loaded on Linux only; elsewhere LibTorch.Use refuses, checked with fed data.")]
    public void AnotherLibTorchBesideTheOneInUseIsRefused()
    {
        var folder = FakeLibTorch();
        // Refused as bundled by this application, or as loaded already when another test asked for the one in use first.
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => LibTorch.Use(folder));
        StringAssert.Contains(error.Message, $"LibTorch from {folder} was asked for");
        StringAssert.Contains(error.Message, LoadedFolder());
        var viaOptions = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(new TrainerOptions { TorchLibPath = folder }));
        StringAssert.Contains(viaOptions.Message, $"LibTorch from {folder} was asked for");
    }

    [TestMethod]
    public void AnApplicationBundlingItsOwnLibTorchIsToldToDropTheBackendPackage()
    {
        var app = FakeLibTorch();
        var install = FakeLibTorch();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => LibTorch.RequireNoBundledLibTorch(install, [TempDir.Create(), app]));
        StringAssert.Contains(error.Message, $"carries its own LibTorch ({app}");
        StringAssert.Contains(error.Message, "Reference the TorchSharp package alone");
        LibTorch.RequireNoBundledLibTorch(app, [app]);
        LibTorch.RequireNoBundledLibTorch(install, [TempDir.Create()]);
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux, IgnoreMessage = "A PyTorch install's LibTorch is loaded on Linux only; elsewhere LibTorch.Use refuses, checked with fed data.")]
    public void TheTorchPackageFolderAboveLibIsAccepted()
    {
        var package = TempDir.Create();
        var lib = Path.Combine(package, "lib");
        Directory.CreateDirectory(lib);
        foreach (var file in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" }) File.WriteAllBytes(Path.Combine(lib, file), []);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => LibTorch.Use(package));
        StringAssert.Contains(error.Message, $"LibTorch from {lib} was asked for", "the lib folder inside the package is the one asked for");
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux, IgnoreMessage = "A PyTorch install's LibTorch is loaded on Linux only; elsewhere LibTorch.Use refuses, checked with fed data.")]
    public void FoldersWithoutLibTorchAreNamed()
    {
        var missing = Path.Combine(TempDir.Create(), "nowhere");
        StringAssert.Contains(Assert.ThrowsExactly<DirectoryNotFoundException>(() => LibTorch.Use(missing)).Message, "does not exist");
        var empty = TempDir.Create();
        File.WriteAllBytes(Path.Combine(empty, "libc10.so"), []);
        var error = Assert.ThrowsExactly<DirectoryNotFoundException>(() => LibTorch.Use(empty));
        StringAssert.Contains(error.Message, "libtorch_cpu.so, libtorch.so missing");
    }

    [TestMethod]
    public void APyTorchInstallIsRefusedOffLinuxWithWhatToReferenceThere()
    {
        var windows = Assert.ThrowsExactly<PlatformNotSupportedException>(() => LibTorch.RequireLinux(TestPlatforms.WindowsX64)).Message;
        StringAssert.Contains(windows, $"TrainerOptions.TorchLibPath, {LibTorch.EnvironmentVariable}) is supported on Linux only");
        StringAssert.Contains(windows, "TorchSharp-cuda-windows");
        StringAssert.Contains(Assert.ThrowsExactly<PlatformNotSupportedException>(() => LibTorch.RequireLinux(TestPlatforms.MacOs15Arm64)).Message, "Apple silicon");
        LibTorch.RequireLinux(TestPlatforms.LinuxX64);
    }

    [TestMethod]
    public void MissingPythonIsNamed()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => PythonTorch.LibFolder("python3-that-is-not-installed"));
        StringAssert.Contains(error.Message, "'python3-that-is-not-installed' was not found on PATH");
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux, IgnoreMessage = "A PyTorch install's LibTorch is loaded on Linux only; elsewhere LibTorch.Use refuses, checked with fed data.")]
    public void TheLibTorchInUseIsAccepted()
    {
        var loaded = LoadedFolder();
        Assert.AreEqual(loaded, LibTorch.Use(loaded));
        Assert.AreEqual(loaded, LibTorch.Location);
        Assert.IsFalse(LibTorch.HasCuda);
        Assert.AreEqual(loaded, LibTorch.Use(loaded), "a second call with the same folder does nothing");
        using var sum = TorchSharp.torch.ones(3).sum();
        Assert.AreEqual(3.0, sum.ToDouble(), "TorchSharp keeps working");
    }
}
