using Lightning.Tool.Hooks;
using Lightning.Tool.Tests.Support;

namespace Lightning.Tool.Tests;

/// <summary>The exact text each hook and each group inserts, against golden files under Goldens/.</summary>
[TestClass]
public sealed class AddHookGoldenTests
{
    public static IEnumerable<object[]> HookNames => HookCatalog.Hooks.Select(h => new object[] { h.Name });

    public static IEnumerable<object[]> GroupNames => HookCatalog.Groups.Select(g => new object[] { g.Name });

    [TestMethod]
    [DynamicData(nameof(HookNames))]
    public void HookInsertsItsGoldenText(string hook)
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        var before = project.Text("Classifier.cs");
        var run = project.Run("add-hook", hook);
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var after = project.Text("Classifier.cs");
        if (hook is "TrainingStep" or "ConfigureOptimizers")
        {
            Assert.AreEqual(before, after, "An existing hook must not change the file.");
            StringAssert.Contains(run.Output, $"{hook} exists already");
            return;
        }
        Golden.AssertMatches($"Hooks/{hook}.cs.txt", Golden.Inserted(before, after));
    }

    [TestMethod]
    [DynamicData(nameof(GroupNames))]
    public void GroupDiffMatchesItsGolden(string group)
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        var snapshot = project.Snapshot();
        var run = project.Run("add-hook", group, "--dry-run");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        CollectionAssert.AreEquivalent(snapshot.Keys, project.Snapshot().Keys);
        foreach (var (path, bytes) in project.Snapshot()) CollectionAssert.AreEqual(snapshot[path], bytes, "--dry-run wrote " + path);
        Golden.AssertMatches($"Groups/{group}.diff", run.Output);
    }
}
