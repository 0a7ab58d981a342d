using Lightning.Templates.Tests.Support;

namespace Lightning.Templates.Tests;

/// <summary><c>dotnet lightning</c> on projects the templates generate: the edited project builds and the inserted code runs.</summary>
[TestClass]
public sealed class ToolOnTemplatesTests
{
    [TestMethod]
    public void TheLightningTemplateAlreadyHasEveryHookSoAddingOneChangesNothing()
    {
        var project = Projects.Lightning;
        var before = Directory.GetFiles(project.Directory, "*.cs").ToDictionary(f => f, File.ReadAllBytes);

        var result = LightningTool.Run(project, "add-hook", "validation", "on_train_epoch_end", "PredictStep").ShouldSucceed();

        StringAssert.Contains(result.Everything, "already");
        foreach (var (file, bytes) in before) CollectionAssert.AreEqual(bytes, File.ReadAllBytes(file), file + " changed");
    }

    [TestMethod]
    public void HooksAndADataModuleAddedToTheClassifierBuildAndRun()
    {
        var project = GeneratedProject.Create("lightning-classifier", "Shop", "--max-epochs", "2");
        LightningTool.Run(project, "add-hook", "on_train_epoch_end", "lr-scheduler").ShouldSucceed();
        LightningTool.Run(project, "add-dataset", "csv", "--name", "Sales", "--path", "Data/iris.csv").ShouldSucceed();

        var module = Path.Combine(project.Directory, "Classifier.cs");
        var text = File.ReadAllText(module);
        StringAssert.Contains(text, "public override void OnTrainEpochEnd()");
        StringAssert.Contains(text, "StepLR");
        StringAssert.Contains(project.Read("Sales.cs"), "class Sales : LightningDataModule<(Tensor X, Tensor Y)>");

        // What a user does next: fill the inserted hook. Its stub holds one comment line.
        var comment = "        // Called at the end of each training epoch, after its validation; log epoch-level training metrics here.";
        Assert.IsTrue(text.Contains(comment, StringComparison.Ordinal), "the stub's comment is where the golden files say");
        File.WriteAllText(module, text.Replace(comment, "        Console.WriteLine($\"inserted hook ran after epoch {CurrentEpoch}\");", StringComparison.Ordinal));

        project.Build();
        var run = project.Run("fit").ShouldSucceed();
        StringAssert.Contains(run.Output, "inserted hook ran after epoch 0");
        StringAssert.Contains(run.Output, "inserted hook ran after epoch 1");
    }
}
