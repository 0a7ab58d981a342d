using Lightning.Native;
using Lightning.Tests.Support;

namespace Lightning.Tests.Native;

[TestClass]
public sealed class NativeLibraryCheckTests
{
    internal static string Fixture(string name) =>
        Path.Combine(RepositoryPaths.Root, "tests", "Lightning.Runtime.Tests", "Native", "Fixtures", name);

    [TestMethod]
    public void FindsTheRequiredVersionInALibStdCxxFromGcc13() =>
        Assert.IsTrue(NativeLibraryCheck.Provides(Fixture("libstdc++-gcc13.so.6")));

    [TestMethod]
    public void MissesTheRequiredVersionInALibStdCxxFromGcc12() =>
        Assert.IsFalse(NativeLibraryCheck.Provides(Fixture("libstdc++-gcc12.so.6")));

    [TestMethod]
    public void FindsTheLibStdCxxMappedIntoTheProcess()
    {
        const string maps = """
            55d0c0a00000-55d0c0a0b000 r-xp 00000000 fe:01 1311 /usr/share/dotnet/dotnet
            7f63d7000000-7f63d70a0000 r--p 00000000 fe:01 4242 /opt/my libs/libstdc++.so.6.0.33
            7f63d70a0000-7f63d71f0000 r-xp 000a0000 fe:01 4242 /opt/my libs/libstdc++.so.6.0.33
            7ffd1a2f0000-7ffd1a311000 rw-p 00000000 00:00 0 [stack]
            """;
        Assert.AreEqual("/opt/my libs/libstdc++.so.6.0.33", NativeLibraryCheck.FindLibStdCxx(maps));
    }

    [TestMethod]
    public void FindsNoLibStdCxxWhenNoneIsMapped()
    {
        const string maps = """
            55d0c0a00000-55d0c0a0b000 r-xp 00000000 fe:01 1311 /usr/share/dotnet/dotnet
            7f63d7000000-7f63d70a0000 rw-p 00000000 00:00 0
            7f63d70a0000-7f63d71f0000 r-xp 00000000 fe:01 77 /usr/lib/x86_64-linux-gnu/libc.so.6
            """;
        Assert.IsNull(NativeLibraryCheck.FindLibStdCxx(maps));
    }

    [TestMethod]
    public void TheScriptChecksForTheSameVersion()
    {
        var script = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "eng", "native-check.sh"));
        CollectionAssert.Contains(script, $"REQUIRED_GLIBCXX=\"{NativeLibraryCheck.RequiredGlibcxx}\"");
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux, IgnoreMessage = "eng/native-check.sh checks Linux's libstdc++.")]
    public void TheScriptAcceptsALibStdCxxFromGcc13()
    {
        var result = RunScript(Fixture("libstdc++-gcc13.so.6"));
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.StartsWith(result.Output, "ok:");
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux, IgnoreMessage = "eng/native-check.sh checks Linux's libstdc++.")]
    public void TheScriptRejectsALibStdCxxFromGcc12()
    {
        var result = RunScript(Fixture("libstdc++-gcc12.so.6"));
        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, $"lacks {NativeLibraryCheck.RequiredGlibcxx}");
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux, IgnoreMessage = "eng/native-check.sh checks Linux's libstdc++.")]
    public void TheScriptSaysWhenTheLibraryIsNotThere()
    {
        var result = RunScript(Fixture("no-such-library.so.6"));
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "not found");
    }

    private static CommandResult RunScript(string library) =>
        Command.Run("bash", [Path.Combine(RepositoryPaths.Root, "eng", "native-check.sh"), library]);
}
