using System.Runtime.Versioning;
using Lightning.Native;
using Lightning.Tests.Native;
using Lightning.Tests.Support;

namespace Lightning.Tests.Setup;

/// <summary>
/// eng/native-check.sh, eng/install-prerequisites.sh and eng/install-mpi.sh against a fake system: an <c>ldconfig</c>,
/// <c>apt-get</c>, <c>mpirun</c> and <c>sudo</c> first on the PATH, and an os-release file, so each path runs without
/// installing anything.
/// The scripts install on Linux only (macOS needs no libstdc++).
/// </summary>
[TestClass]
[OSCondition(OperatingSystems.Linux)]
[SupportedOSPlatform("linux")]
public sealed class PrerequisitesScriptTests
{
    private static readonly string Gcc13 = NativeLibraryCheckTests.Fixture("libstdc++-gcc13.so.6");
    private static readonly string Gcc12 = NativeLibraryCheckTests.Fixture("libstdc++-gcc12.so.6");

    [TestMethod]
    public void TheCheckFindsTheLibraryInALoaderCacheLongerThanAPipeHolds()
    {
        // A real cache lists hundreds of libraries: a reader that stopped at the first match killed ldconfig with SIGPIPE.
        using var system = new FakeSystem(Gcc13, debianVersion: "13");

        var result = system.Run("native-check.sh");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.StartsWith(result.Output, $"ok: {Gcc13} provides {NativeLibraryCheck.RequiredGlibcxx}");
    }

    [TestMethod]
    public void APreparedMachineInstallsNothing()
    {
        using var system = new FakeSystem(Gcc13, debianVersion: "13");

        var result = system.Run("install-prerequisites.sh");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual("", system.AptCalls, "apt-get ran on a machine that has the library.");
    }

    [TestMethod]
    public void AMachineWithMpiInstallsNoMpi()
    {
        using var system = new FakeSystem(Gcc13, debianVersion: "13");

        var result = system.Run("install-mpi.sh");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.StartsWith(result.Output, "ok: MPI found");
        Assert.AreEqual("", system.AptCalls, "apt-get ran on a machine that has MPI.");
    }

    [TestMethod]
    public void Debian13WithAnOldLibraryInstallsItFromItsOwnArchive()
    {
        using var system = new FakeSystem(Gcc12, debianVersion: "13");

        var result = system.Run("install-prerequisites.sh");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(system.AptCalls, "install -y -qq --no-install-recommends libstdc++6\n");
        Assert.IsFalse(system.AptCalls.Contains("trixie", StringComparison.Ordinal), system.AptCalls);
        StringAssert.Contains(result.Output, $"ok: {Gcc13}");
    }

    [TestMethod]
    public void AnotherSystemWithAnOldLibraryIsToldWhatToInstall()
    {
        using var system = new FakeSystem(Gcc12, debianVersion: null);

        var result = system.Run("install-prerequisites.sh");

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "Install libstdc++6 from GCC 13 or newer");
        Assert.AreEqual("", system.AptCalls);
    }

    /// <summary>A folder of fake commands; "installing" with the fake apt-get makes the fake loader cache list GCC 13's library.</summary>
    private sealed class FakeSystem : IDisposable
    {
        private readonly string _folder = TempDir.Create();

        public FakeSystem(string library, string? debianVersion)
        {
            File.WriteAllText(Path.Combine(_folder, "library"), library);
            File.WriteAllText(Path.Combine(_folder, "os-release"),
                debianVersion is null ? "ID=fedora\nVERSION_ID=\"41\"\n" : $"ID=debian\nVERSION_ID=\"{debianVersion}\"\n");
            File.WriteAllText(Path.Combine(_folder, "apt.log"), "");
            // The libraries first, then far more than a pipe buffer holds (as on a machine with many libraries).
            Script("ldconfig", $"""
                printf '\tlibstdc++.so.6 (libc6,x86-64) => %s\n' "$(cat '{_folder}/library')"
                printf '\tlibmpi.so.40 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libmpi.so.40\n'
                yes '	libz.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libz.so.1' | head -n 100000
                """);
            Script("apt-get", $"""
                echo "$*" >> '{_folder}/apt.log'
                case " $* " in *" install "*) printf '%s' '{Gcc13}' > '{_folder}/library' ;; esac
                """);
            Script("sudo", "exec \"$@\"");
            Script("mpirun", "echo 'mpirun (Open MPI) 4.1.4'");
        }

        public string AptCalls => File.ReadAllText(Path.Combine(_folder, "apt.log"));

        public CommandResult Run(string script) =>
            Command.Run("bash", [Path.Combine(RepositoryPaths.Root, "eng", script)], environment: new Dictionary<string, string>
            {
                ["PATH"] = _folder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                ["LIGHTNING_OS_RELEASE"] = Path.Combine(_folder, "os-release"),
            });

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        private void Script(string name, string body)
        {
            var path = Path.Combine(_folder, name);
            File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
