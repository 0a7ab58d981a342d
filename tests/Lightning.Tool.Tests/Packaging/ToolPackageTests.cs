using Lightning.Tests.Support;

namespace Lightning.Tool.Tests.Packaging;

[TestClass]
public sealed class ToolPackageTests
{
    [TestMethod]
    public void InstallsAndRunsAsDotnetLightning()
    {
        var package = BuiltPackages.Find("Lightning.Tool", "tool/Lightning.Tool");
        var scratch = Directory.CreateTempSubdirectory("lightning-tool-test-").FullName;
        try
        {
            var toolPath = Path.Combine(scratch, "tools");
            // A private package cache: the version never changes between builds, so a shared cache could hold an older build.
            var isolated = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(scratch, "packages") };

            var install = Command.Run("dotnet",
                ["tool", "install", "Lightning.Tool", "--version", BuiltPackages.Version, "--tool-path", toolPath,
                 "--source", Path.GetDirectoryName(package)!],
                scratch, isolated);
            Assert.AreEqual(0, install.ExitCode, "dotnet tool install failed: " + install);
            Assert.IsTrue(File.Exists(Path.Combine(toolPath, OperatingSystem.IsWindows() ? "dotnet-lightning.exe" : "dotnet-lightning")),
                "The package installs no dotnet-lightning command.");

            // `dotnet lightning` finds dotnet-lightning on the PATH, as it does for a global tool.
            var path = toolPath + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            var help = Command.Run("dotnet", ["lightning", "--help"], scratch, new Dictionary<string, string> { ["PATH"] = path });

            Assert.IsFalse(help.Output.Contains("command or file was not found", StringComparison.OrdinalIgnoreCase), help.ToString());
            Assert.AreEqual(0, help.ExitCode, help.ToString());
            StringAssert.Contains(help.Output, "add-hook");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [TestMethod]
    public void InstallsIntoALocalToolManifest()
    {
        var package = BuiltPackages.Find("Lightning.Tool", "tool/Lightning.Tool");
        var scratch = Directory.CreateTempSubdirectory("lightning-tool-manifest-").FullName;
        try
        {
            var isolated = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(scratch, "packages") };
            Assert.AreEqual(0, Command.Run("dotnet", ["new", "tool-manifest"], scratch, isolated).ExitCode);
            var install = Command.Run("dotnet",
                ["tool", "install", "Lightning.Tool", "--version", BuiltPackages.Version, "--add-source", Path.GetDirectoryName(package)!],
                scratch, isolated);
            Assert.AreEqual(0, install.ExitCode, "dotnet tool install (local manifest) failed: " + install);

            var help = Command.Run("dotnet", ["lightning", "add-hook", "--help"], scratch, isolated);
            Assert.AreEqual(0, help.ExitCode, help.ToString());
            StringAssert.Contains(help.Output, "--dry-run");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
