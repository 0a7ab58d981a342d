using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using Lightning.Tests.Support;

namespace Lightning.Tests.Setup;

/// <summary>eng/with-lock.sh, which makes builds take turns for the set-up that changes what belongs to the user.</summary>
[TestClass]
[OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
[UnsupportedOSPlatform("windows")]
public sealed class WithLockScriptTests
{
    // Exits 0 when the lock on the file named by its argument is taken, 1 when it is free (and takes it for a moment).
    private const string Probe = """use Fcntl ":flock"; open(my $f, ">>", shift) or die $!; exit(flock($f, LOCK_EX | LOCK_NB) ? 1 : 0);""";

    [TestMethod]
    public void TheCommandRunsHoldingTheLock()
    {
        var lockFile = Path.Combine(TempDir.Create(), "setup.lock");

        var result = WithLock(lockFile, "perl", "-e", Probe, lockFile);

        Assert.AreEqual(0, result.ExitCode, "The lock was free while the command ran. " + result);
    }

    [TestMethod]
    public void TheLockGoesWithTheCommandThoughItsChildrenLiveOn()
    {
        // As dotnet's build servers outlive `dotnet pack`: a child that kept the lock would block the next build for minutes.
        var lockFile = Path.Combine(TempDir.Create(), "setup.lock");
        var started = WithLock(lockFile, "bash", "-c", "sleep 600 >/dev/null 2>&1 & echo $!");
        using var child = Process.GetProcessById(int.Parse(started.Output.Trim(), CultureInfo.InvariantCulture));
        try
        {
            var probe = Command.Run("perl", ["-e", Probe, lockFile]);

            Assert.AreEqual(1, probe.ExitCode, "The lock is still held after the command ended. " + probe);
        }
        finally
        {
            child.Kill();
        }
    }

    [TestMethod]
    public void TheCommandsExitCodeComesBack()
    {
        var lockFile = Path.Combine(TempDir.Create(), "setup.lock");

        Assert.AreEqual(7, WithLock(lockFile, "bash", "-c", "exit 7").ExitCode);
        Assert.AreEqual(127, WithLock(lockFile, "no-such-command-here").ExitCode);
    }

    private static CommandResult WithLock(string lockFile, params string[] command) =>
        Command.Run("bash", [Path.Combine(RepositoryPaths.Root, "eng", "with-lock.sh"), lockFile, .. command]);
}
