using Lightning.Native;

namespace Lightning.Tests.Native;

[TestClass]
public sealed class NativeLoadFailureTests
{
    private const string Preamble =
        "Unable to load shared library 'LibTorchSharp' or one of its dependencies. In order to help diagnose loading problems, " +
        "consider using a tool like strace. If you're using glibc, consider setting the LD_DEBUG environment variable: \n" +
        "/app/bin/runtimes/linux-x64/native/LibTorchSharp.so: cannot open shared object file: No such file or directory\n";

    private const string OldLibStdCxxLine =
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/bin/runtimes/linux-x64/native/libLibTorchSharp.so)";

    [TestMethod]
    public void AnOldLibStdCxxIsNamedWithTheFix()
    {
        var failure = new NativeLoadFailure(Preamble + OldLibStdCxxLine + "\n", BackendLoaded: false,
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30", LibStdCxxProvidesRequired: false, "0.107.0");

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
        var failure = new NativeLoadFailure(Preamble + "libtorch.so: cannot open shared object file: No such file or directory\n",
            BackendLoaded: false, "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.33", LibStdCxxProvidesRequired: true, "0.107.0");

        Assert.AreEqual(NativeFailureCause.BackendMissing, failure.Cause);
        var message = failure.Describe();
        StringAssert.Contains(message, "<PackageReference Include=\"TorchSharp-cpu\" Version=\"0.107.0\" />");
        StringAssert.Contains(message, "The loader said: libtorch.so: cannot open shared object file");
    }

    [TestMethod]
    public void TheLoaderListOfPathsTriedIsLeftOut()
    {
        var failure = new NativeLoadFailure(Preamble + "libtorch.so: cannot open shared object file: No such file or directory\n",
            BackendLoaded: false, LibStdCxxPath: null, LibStdCxxProvidesRequired: true, "0.107.0");

        var message = failure.Describe();
        Assert.IsFalse(message.Contains("LD_DEBUG", StringComparison.Ordinal), message);
        Assert.IsFalse(message.Contains("LibTorchSharp.so: cannot open", StringComparison.Ordinal), message);
    }

    [TestMethod]
    public void AnOldLibStdCxxComesBeforeAMissingBackend()
    {
        // An old libstdc++ also stops LibTorch itself from loading, so the backend looks missing too.
        var failure = new NativeLoadFailure(OldLibStdCxxLine, BackendLoaded: false,
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30", LibStdCxxProvidesRequired: false, "0.107.0");

        Assert.AreEqual(NativeFailureCause.LibStdCxxTooOld, failure.Cause);
    }

    [TestMethod]
    public void AnyOtherFailureShowsTheLoaderMessage()
    {
        const string loader = "Unable to load DLL 'LibTorchSharp' or one of its dependencies: The specified module could not be found.";
        var failure = new NativeLoadFailure(loader, BackendLoaded: true, LibStdCxxPath: null, LibStdCxxProvidesRequired: true, "0.107.0");

        Assert.AreEqual(NativeFailureCause.Other, failure.Cause);
        StringAssert.Contains(failure.Describe(), "The loader said: " + loader);
    }
}
