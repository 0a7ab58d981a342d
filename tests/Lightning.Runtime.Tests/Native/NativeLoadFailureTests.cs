using Lightning.Native;

namespace Lightning.Tests.Native;

/// <summary>The cause and fix named for what each platform's loader says, fed as data: any platform's failure is checked here.</summary>
[TestClass]
public sealed class NativeLoadFailureTests
{
    private const string Preamble =
        "Unable to load shared library 'LibTorchSharp' or one of its dependencies. In order to help diagnose loading problems, " +
        "consider using a tool like strace. If you're using glibc, consider setting the LD_DEBUG environment variable: \n" +
        "/app/bin/runtimes/linux-x64/native/LibTorchSharp.so: cannot open shared object file: No such file or directory\n";

    private const string OldLibStdCxxLine =
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/bin/runtimes/linux-x64/native/libLibTorchSharp.so)";

    // What .NET says on Windows whatever dependency is missing: it does not name it.
    private const string WindowsLoader =
        "Unable to load DLL 'LibTorchSharp' or one of its dependencies: The specified module could not be found. (0x8007007E)";

    private const string MacLibompLoader =
        "Unable to load shared library 'LibTorchSharp' or one of its dependencies.\n" +
        "dlopen(/app/bin/libLibTorchSharp.dylib, 0x0001): Library not loaded: /opt/homebrew/opt/libomp/lib/libomp.dylib\n" +
        "  Referenced from: <6A1B2C3D> /app/bin/libtorch_cpu.dylib\n" +
        "  Reason: tried: '/opt/homebrew/opt/libomp/lib/libomp.dylib' (no such file)";

    private static NativeLoadFailure Failure(NativePlatform platform, string loader, bool backendLoaded = false, IReadOnlyList<string>? missing = null,
        string? libStdCxx = null, bool libStdCxxOk = true) =>
        new(platform, loader, backendLoaded, missing ?? [], libStdCxx, libStdCxxOk, "0.107.0");

    [TestMethod]
    public void AnOldLibStdCxxIsNamedWithTheFix()
    {
        var failure = Failure(TestPlatforms.LinuxX64, Preamble + OldLibStdCxxLine + "\n", libStdCxx: "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30", libStdCxxOk: false);

        Assert.AreEqual(NativeFailureCause.LibStdCxxTooOld, failure.Cause);
        var message = failure.Describe();
        StringAssert.Contains(message, "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30, lacks GLIBCXX_3.4.32");
        StringAssert.Contains(message, "GCC 13 or newer");
        StringAssert.Contains(message, "eng/install-prerequisites.sh");
        StringAssert.Contains(message, OldLibStdCxxLine);
        Assert.IsFalse(message.Contains("doesn't contain a reference", StringComparison.Ordinal), message);
    }

    [TestMethod]
    public void AMissingBackendNamesThePackageToReference()
    {
        var failure = Failure(TestPlatforms.LinuxX64, Preamble + "libtorch.so: cannot open shared object file: No such file or directory\n",
            libStdCxx: "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.33");

        Assert.AreEqual(NativeFailureCause.BackendMissing, failure.Cause);
        var message = failure.Describe();
        StringAssert.Contains(message, "<PackageReference Include=\"TorchSharp-cpu\" Version=\"0.107.0\" />");
        StringAssert.Contains(message, "TorchSharp-cuda-linux");
        StringAssert.Contains(message, "The loader said: libtorch.so: cannot open shared object file");
    }

    [TestMethod]
    public void TheLoaderListOfPathsTriedIsLeftOut()
    {
        var message = Failure(TestPlatforms.LinuxX64, Preamble + "libtorch.so: cannot open shared object file: No such file or directory\n").Describe();
        Assert.IsFalse(message.Contains("LD_DEBUG", StringComparison.Ordinal), message);
        Assert.IsFalse(message.Contains("LibTorchSharp.so: cannot open", StringComparison.Ordinal), message);
    }

    [TestMethod]
    public void AnOldLibStdCxxComesBeforeAMissingBackend()
    {
        // An old libstdc++ also stops LibTorch itself from loading, so the backend looks missing too.
        var failure = Failure(TestPlatforms.LinuxX64, OldLibStdCxxLine, libStdCxx: "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30", libStdCxxOk: false);
        Assert.AreEqual(NativeFailureCause.LibStdCxxTooOld, failure.Cause);
    }

    [TestMethod]
    public void AnyOtherFailureShowsTheLoaderMessage()
    {
        var failure = Failure(TestPlatforms.WindowsX64, WindowsLoader, backendLoaded: true);
        Assert.AreEqual(NativeFailureCause.Other, failure.Cause);
        StringAssert.Contains(failure.Describe(), "The loader said: " + WindowsLoader);
    }

    [TestMethod]
    public void WindowsWithoutTheVisualCppRuntimeIsToldToInstallIt()
    {
        // LibTorch itself fails to load, which would look like a missing backend package.
        var failure = Failure(TestPlatforms.WindowsX64, WindowsLoader, missing: ["MSVCP140.dll", "VCRUNTIME140_1.dll"]);

        Assert.AreEqual(NativeFailureCause.VisualCppRuntimeMissing, failure.Cause);
        var message = failure.Describe();
        StringAssert.Contains(message, "MSVCP140.dll, VCRUNTIME140_1.dll could not be loaded");
        StringAssert.Contains(message, "Visual C++ Redistributable for x64");
        Assert.IsFalse(message.Contains("PackageReference", StringComparison.Ordinal), message);
    }

    [TestMethod]
    public void WindowsWithTheRuntimeAndNoBackendIsToldToReferenceOne()
    {
        var message = Failure(TestPlatforms.WindowsX64, WindowsLoader).Describe();
        StringAssert.Contains(message, "<PackageReference Include=\"TorchSharp-cpu\"");
        StringAssert.Contains(message, "TorchSharp-cuda-windows");
        Assert.IsFalse(message.Contains("TorchSharp-cuda-linux", StringComparison.Ordinal), message);
    }

    [TestMethod]
    public void MacOsWithoutLibompIsToldToInstallItWithHomebrew()
    {
        foreach (var failure in new[]
                 {
                     Failure(TestPlatforms.MacOs15Arm64, MacLibompLoader),
                     Failure(TestPlatforms.MacOs15Arm64, "Unable to load shared library 'LibTorchSharp'", missing: [NativePlatform.HomebrewLibomp]),
                 })
        {
            Assert.AreEqual(NativeFailureCause.LibompMissing, failure.Cause);
            StringAssert.Contains(failure.Describe(), "brew install libomp");
            StringAssert.Contains(failure.Describe(), NativePlatform.HomebrewLibomp);
        }
    }

    [TestMethod]
    public void MacOsOlderThan15IsToldToUpdate()
    {
        var failure = Failure(TestPlatforms.MacOs14Arm64, "Unable to load shared library 'LibTorchSharp'", missing: [NativePlatform.HomebrewLibomp]);

        Assert.AreEqual(NativeFailureCause.MacOsTooOld, failure.Cause);
        StringAssert.Contains(failure.Describe(), "this is macOS 14.7");
        StringAssert.Contains(failure.Describe(), "needs macOS 15.0 or newer");
    }

    [TestMethod]
    public void PlatformsWithoutALibTorchBuildAreNamedAsSuch()
    {
        foreach (var platform in new[] { TestPlatforms.MacOsX64, TestPlatforms.WindowsArm64, TestPlatforms.LinuxArm64 })
        {
            var failure = Failure(platform, "Unable to load shared library 'LibTorchSharp'");
            Assert.AreEqual(NativeFailureCause.NoLibTorchBuild, failure.Cause, platform.Rid);
            var message = failure.Describe();
            StringAssert.Contains(message, $"has no LibTorch for {platform.Rid}");
            StringAssert.Contains(message, "linux-x64, win-x64, osx-arm64");
            Assert.IsFalse(message.Contains("PackageReference", StringComparison.Ordinal), message);
        }
        StringAssert.Contains(Failure(TestPlatforms.MacOsX64, "").Describe(), "Rosetta");
    }

    [TestMethod]
    public void ThePlatformsWithABuildAreTheOnesTheirPackagesShip()
    {
        foreach (var platform in new[] { TestPlatforms.LinuxX64, TestPlatforms.WindowsX64, TestPlatforms.MacOs15Arm64 })
            Assert.IsTrue(platform.HasLibTorchBuild, platform.Rid);
        Assert.AreEqual("osx-arm64", TestPlatforms.MacOs15Arm64.Rid);
        Assert.AreEqual("torch_cpu.dll", TestPlatforms.WindowsX64.TorchCpuFile);
    }
}
