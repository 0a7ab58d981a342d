using System.Runtime.InteropServices;
using Lightning.IO;

namespace Lightning.Tests.IO;

[TestClass]
public sealed class PathRulesTests
{
    [TestMethod]
    public void PathsDifferingInCaseAreTheSameFileOnWindowsAndMacOsOnly()
    {
        var folder = Path.GetFullPath("runs/Checkpoints");
        var spelled = Path.GetFullPath("runs/checkpoints/");
        Assert.IsTrue(PathRules.Same(folder, spelled, PathRules.For(OSPlatform.Windows)));
        Assert.IsTrue(PathRules.Same(folder, spelled, PathRules.For(OSPlatform.OSX)));
        Assert.IsFalse(PathRules.Same(folder, spelled, PathRules.For(OSPlatform.Linux)));
        Assert.IsTrue(PathRules.IsInside(Path.Combine(spelled, "last.ckpt"), folder, PathRules.For(OSPlatform.Windows)));
        Assert.IsFalse(PathRules.IsInside(Path.Combine(spelled, "last.ckpt"), folder, PathRules.For(OSPlatform.Linux)));
    }

    [TestMethod]
    public void ThisPlatformFollowsItsOwnRule() =>
        Assert.AreEqual(OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase, PathRules.Current);
}
