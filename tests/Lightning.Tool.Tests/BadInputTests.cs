using Lightning.Tool.Tests.Support;

namespace Lightning.Tool.Tests;

/// <summary>Bad input: a clear message naming the problem and the fix, the right exit code, and no file changed.</summary>
[TestClass]
public sealed class BadInputTests
{
    internal static void AssertFails(ScratchProject project, int exitCode, string message, params string[] args)
    {
        var snapshot = project.Snapshot();
        var run = project.Run(args);
        Assert.AreEqual(exitCode, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Error, message, run.ToString());
        var now = project.Snapshot();
        CollectionAssert.AreEquivalent(snapshot.Keys, now.Keys, "files were created or removed");
        foreach (var (path, bytes) in now) CollectionAssert.AreEqual(snapshot[path], bytes, path + " changed");
    }

    [TestMethod]
    public void NoProject()
    {
        using var project = new ScratchProject(csproj: null);
        AssertFails(project, 1, "No project file (.csproj) in the current folder", "add-hook", "validation");
    }

    [TestMethod]
    public void SeveralProjects()
    {
        using var project = new ScratchProject();
        project.Write("Other.csproj", ScratchProject.DefaultCsproj);
        AssertFails(project, 2, "holds several projects: App.csproj, Other.csproj. Pick one with --project", "add-hook", "validation");
    }

    [TestMethod]
    public void SeveralProjectsInTheFolderGivenWithProjectGetAnExampleThatWorksFromHere()
    {
        using var project = new ScratchProject();
        project.Write("Other.csproj", ScratchProject.DefaultCsproj);
        var parent = Path.GetDirectoryName(project.Directory)!;
        var run = ToolRun.Invoke(parent, "add-hook", "validation", "--project", "App");
        Assert.AreEqual(2, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Error, "holds several projects: App.csproj, Other.csproj. Pick one with --project, e.g. --project App/App.csproj.");
    }

    [TestMethod]
    public void ProjectOptionTakesAFileOrAFolder()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        var parent = Path.GetDirectoryName(project.Directory)!;
        Assert.AreEqual(0, ToolRun.Invoke(parent, "add-hook", "on_fit_start", "--project", "App").ExitCode);
        Assert.AreEqual(0, ToolRun.Invoke(parent, "add-hook", "on_fit_end", "--project", "App/App.csproj").ExitCode);
        StringAssert.Contains(project.Text("Classifier.cs"), "OnFitEnd()");
        AssertFails(project, 1, "No file or folder", "add-hook", "on_fit_start", "--project", "Missing");
    }

    [TestMethod]
    public void NoLightningModule()
    {
        using var project = new ScratchProject();
        project.Write("Program.cs", "Console.WriteLine(1);\n");
        AssertFails(project, 1, "No class in App.csproj derives from LightningModule<TBatch>", "add-hook", "validation");
    }

    [TestMethod]
    public void SeveralModulesWithoutClass()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        project.Write("Second.cs", Modules.Basic.Replace("Classifier", "Second"));
        AssertFails(project, 2, "holds several LightningModule classes: App.Classifier, App.Second. Pick one with --class", "add-hook", "validation");
        AssertFails(project, 2, "No LightningModule class named Secnd in App.csproj. Its modules: App.Classifier, App.Second. Did you mean Second?", "add-hook", "validation", "--class", "Secnd");
        Assert.AreEqual(0, project.Run("add-hook", "validation", "--class", "Second").ExitCode);
        StringAssert.Contains(project.Text("Second.cs"), "ValidationStep");
        Assert.IsFalse(project.Text("Classifier.cs").Contains("ValidationStep"));
    }

    [TestMethod]
    public void FileThatDoesNotParse()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic.Replace("return loss;", "return loss"));
        AssertFails(project, 1, "Classifier is in a file that does not parse", "add-hook", "validation");
    }

    [TestMethod]
    public void UnknownHookSuggestsNearestNames()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        AssertFails(project, 2, "Unknown hook or group 'validaton_step'. Did you mean validation_step", "add-hook", "validaton_step", "test");
    }

    [TestMethod]
    public void ReadOnlyFile()
    {
        using var project = new ScratchProject();
        var path = project.Write("Classifier.cs", Modules.Basic);
        if (OperatingSystem.IsWindows()) File.SetAttributes(path, FileAttributes.ReadOnly);
        else File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        AssertFails(project, 1, "is read-only, so nothing was changed", "add-hook", "validation");
    }

    [TestMethod]
    public void NameThatIsNotAnIdentifier()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        AssertFails(project, 2, "--name '2Sales' is not a C# class name", "add-dataset", "csv", "--name", "2Sales");
        AssertFails(project, 2, "--name 'class' is not a C# class name", "add-dataset", "csv", "--name", "class");
    }

    [TestMethod]
    public void UsageErrorsOfTheParser()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        AssertFails(project, 2, "error:", "add-hook");
        AssertFails(project, 2, "error:", "add-dataset", "parquet");
        AssertFails(project, 2, "--val-fraction (0.5) and --test-fraction (0.5) together must stay below 1", "add-dataset", "csv", "--val-fraction", "0.5", "--test-fraction", "0.5");
        AssertFails(project, 2, "error:", "add-dataset", "csv", "--batch-size", "0");
    }

    [TestMethod]
    public void ExistingDataModuleNeedsForce()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        Assert.AreEqual(0, project.Run("add-dataset", "csv", "--name", "Sales").ExitCode);
        AssertFails(project, 1, "Sales.cs exists already; nothing was changed. Pass --force", "add-dataset", "csv", "--name", "Sales");
        var forced = project.Run("add-dataset", "csv", "--name", "Sales", "--force", "--label", "price");
        Assert.AreEqual(0, forced.ExitCode, forced.ToString());
        StringAssert.Contains(project.Text("Sales.cs"), "string? label = \"price\"");
        project.Write("Helpers.cs", "namespace App;\n\ninternal static class Helper\n{\n}\n");
        AssertFails(project, 2, "A type named Helper exists already in Helpers.cs", "add-dataset", "csv", "--name", "Helper");
    }
}
