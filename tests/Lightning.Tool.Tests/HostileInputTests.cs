using Lightning.Tool.Tests.Support;

namespace Lightning.Tool.Tests;

/// <summary>
/// Input that is hostile or odd (issue: nothing lost, no crash on bad input): <c>--force</c> on files the tool did
/// not write, names too long or holding invisible characters, numbers too large, symbolic links.
/// </summary>
[TestClass]
public sealed class HostileInputTests
{
    [TestMethod]
    [DataRow("Classifier")]
    [DataRow("Program")]
    public void ForceNeverReplacesAFileTheToolDidNotWrite(string name)
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        project.Write("Program.cs", "Console.WriteLine(new App.Classifier());\n");
        BadInputTests.AssertFails(project, 1, $"{name}.cs exists and was not written by `dotnet lightning add-dataset`", "add-dataset", "csv", "--name", name, "--force");
    }

    [TestMethod]
    public void ForceReplacesADataModuleTheToolWrote()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        Assert.AreEqual(0, project.Run("add-dataset", "csv", "--name", "Sales").ExitCode);
        StringAssert.StartsWith(project.Text("Sales.cs"), "// Written by `dotnet lightning add-dataset csv`.");
        var forced = project.Run("add-dataset", "csv", "--name", "Sales", "--force", "--label", "price");
        Assert.AreEqual(0, forced.ExitCode, forced.ToString());
        StringAssert.Contains(project.Text("Sales.cs"), "string? label = \"price\"");
    }

    [TestMethod]
    [DataRow("--name is 250 characters long; keep it to 128", "csv", "--name", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [DataRow("holds an invisible formatting character (U+200B)", "csv", "--name", "Iris\u200BData")]
    [DataRow("--batch-size must be a whole number from 1", "csv", "--batch-size", "99999999999")]
    [DataRow("--seed must be a whole number from 0", "csv", "--seed", "99999999999")]
    [DataRow("--val-fraction must be a number at least 0 and below 1, not 'lots'", "csv", "--val-fraction", "lots")]
    [DataRow("--image-size must be a whole number from 1", "image-folder", "--image-size", "4294967296")]
    public void NamesAndNumbersThatDoNotFitAreUsageErrors(string message, params string[] args)
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        BadInputTests.AssertFails(project, 2, message, ["add-dataset", .. args]);
    }

    [TestMethod]
    public void ASymbolicLinkStaysALinkAndItsTargetIsEdited()
    {
        using var project = new ScratchProject();
        // The module lives outside the .cs glob; the project sees it through the link.
        var source = project.Write("shared-models/Classifier.txt", Modules.Basic);
        var link = project.PathOf("Classifier.cs");
        File.CreateSymbolicLink(link, "shared-models/Classifier.txt");
        var run = project.Run("add-hook", "on_fit_start");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.IsNotNull(new FileInfo(link).LinkTarget, "the link was replaced by a regular file");
        StringAssert.Contains(File.ReadAllText(source), "public override void OnFitStart()");
    }
}
