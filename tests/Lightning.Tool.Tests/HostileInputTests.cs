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
    public void ANameTooLongForAFileIsRefused()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        BadInputTests.AssertFails(project, 2, "--name is 250 characters long; keep it to 128", "add-dataset", "csv", "--name", new string('A', 250));
    }

    [TestMethod]
    public void ANameWithAZeroWidthSpaceIsRefused()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        BadInputTests.AssertFails(project, 2, "holds an invisible formatting character (U+200B)", "add-dataset", "csv", "--name", "Iris\u200BData");
    }

    [TestMethod]
    [DataRow("--batch-size", "99999999999")]
    [DataRow("--seed", "99999999999")]
    [DataRow("--val-fraction", "lots")]
    public void NumbersThatDoNotFitAreUsageErrors(string option, string value)
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        BadInputTests.AssertFails(project, 2, $"{option} must be ", "add-dataset", "csv", option, value);
    }

    [TestMethod]
    public void ImageSizeThatDoesNotFitIsAUsageError()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        BadInputTests.AssertFails(project, 2, "--image-size must be a whole number from 1", "add-dataset", "image-folder", "--image-size", "4294967296");
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
