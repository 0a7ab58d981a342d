using System.Reflection;
using Lightning.Native;
using Lightning.Tests.Native.Binaries;

namespace Lightning.Tests.Native;

/// <summary>
/// Every platform's table of LibTorch C++ names against the export table of the <c>torch_cpu</c> library that platform
/// gets from TorchSharp-cpu (read from the NuGet cache, where the test project downloads all three).
/// </summary>
[TestClass]
public sealed class LibTorchSymbolsTests
{
    private static string Metadata(string key) =>
        typeof(LibTorchSymbolsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no {key}.");

    private static string ShippedTorchCpu(NativePlatform platform) => Path.Combine(
        Metadata("NuGetPackageRoot"), $"libtorch-cpu-{platform.Rid}", Metadata("LibTorchVersion"), "runtimes", platform.Rid, "native", platform.TorchCpuFile);

    private static IReadOnlySet<string> Exports(NativePlatform platform)
    {
        var path = ShippedTorchCpu(platform);
        Assert.IsTrue(File.Exists(path), $"{path} is missing; the test project's PackageDownload restores it");
        return platform.IsWindows ? PeExports.Read(path) : platform.IsMacOS ? MachOExports.Read(path) : ElfExports.Read(path);
    }

    [TestMethod]
    [DataRow("linux-x64")]
    [DataRow("win-x64")]
    [DataRow("osx-arm64")]
    public void EveryFunctionIsNamedInTheTableOfEachPlatform(string rid) =>
        CollectionAssert.AreEquivalent(Enum.GetValues<LibTorchFunction>(), LibTorchSymbols.For(TestPlatforms.Supported(rid)).Keys.ToArray());

    [TestMethod]
    [DataRow("linux-x64")]
    [DataRow("win-x64")]
    [DataRow("osx-arm64")]
    public void EveryNameInThePlatformsTableIsExportedByTheLibTorchItShips(string rid)
    {
        var platform = TestPlatforms.Supported(rid);
        var exports = Exports(platform);
        Assert.IsGreaterThan(10_000, exports.Count, "the reader finds LibTorch's exports");
        var missing = LibTorchSymbols.For(platform).Where(entry => !exports.Contains(entry.Value)).Select(entry => $"{entry.Key}: {entry.Value}").ToList();
        Assert.IsEmpty(missing, $"{ShippedTorchCpu(platform)} does not export:\n{string.Join('\n', missing)}");
    }

    [TestMethod]
    public void AWrongNameIsFound()
    {
        // The check fails when a table names what the binary does not export, e.g. a Linux name looked up on Windows.
        Assert.IsFalse(Exports(TestPlatforms.WindowsX64).Contains(LibTorchSymbols.Itanium[LibTorchFunction.GlobalContext]));
        Assert.IsFalse(Exports(TestPlatforms.LinuxX64).Contains(LibTorchSymbols.Msvc[LibTorchFunction.GlobalContext]));
    }

    [TestMethod]
    public void EveryFunctionBindsInThisProcess()
    {
        // The real binding, as the Trainer does it, on the platform the tests run on.
        LibTorchContext.Require("Deterministic = true");
        Autocast.Require("bf16-mixed");
        Assert.IsTrue(OperatingSystem.IsMacOS() || !LibTorchContext.MpsIsAvailable, "LibTorch reports MPS on macOS only");
    }

    [TestMethod]
    public void AFunctionThatCannotBeBoundFailsWhatNeedsItWithItsName()
    {
        var unbound = new Lazy<int>(() => throw new EntryPointNotFoundException("the LibTorch loaded in this process (torch_cpu.dll, win-x64) does not export ?x@at@@YAXXZ (GlobalContext);"));
        var error = Assert.ThrowsExactly<NotSupportedException>(() => LibTorchExports.Require(unbound, "Deterministic = true needs LibTorch's global context switches", "Leave it out."));
        Assert.AreEqual("Deterministic = true needs LibTorch's global context switches, but the LibTorch loaded in this process (torch_cpu.dll, win-x64) " +
                        "does not export ?x@at@@YAXXZ (GlobalContext); Leave it out.", error.Message);
    }
}
