using Lightning.Templates.Tests.Support;

namespace Lightning.Templates.Tests;

[TestClass]
public sealed class LightningTemplateTests
{
    [TestMethod]
    public void TheDefaultProjectMatchesItsSnapshotAndIsRestoredByThePostAction()
    {
        var project = Projects.Lightning;

        StringAssert.Contains(project.Creation.Output, "Restore succeeded");
        Snapshot.Match("lightning", project.Directory);
    }

    [TestMethod]
    public void ItTrainsAndTestsAsGeneratedAndSaysWhatToReplace()
    {
        var result = Projects.Lightning.Run().ShouldSucceed();

        StringAssert.Contains(result.Output, "MyModel learned a made-up rule on random numbers. Replace");
        StringAssert.Contains(result.Output, "test_acc");
    }

    [TestMethod]
    public void FitTakesTrainerOptionsFromTheCommandLine()
    {
        var result = Projects.Lightning.Run("fit", "--trainer.max-epochs", "3").ShouldSucceed();

        StringAssert.Contains(result.Output, "Epoch 2");
        Assert.IsFalse(result.Output.Contains("Epoch 3", StringComparison.Ordinal), result.Output);
        Assert.IsFalse(result.Output.Contains("test_acc", StringComparison.Ordinal), "fit alone does not test");
    }

    [TestMethod]
    public void TestLoadsTheBestCheckpointOfAnEarlierFit()
    {
        Projects.Lightning.Run("fit", "--trainer.max-epochs", "2").ShouldSucceed();

        var result = Projects.Lightning.Run("test", "--ckpt-path", "best").ShouldSucceed();

        StringAssert.Contains(result.Output, "test_acc");
    }

    [TestMethod]
    public void HelpListsTheTrainerOptionsWithTheirDocumentation()
    {
        var result = Projects.Lightning.Run("fit", "--help").ShouldSucceed();

        StringAssert.Contains(result.Output, "--trainer.max-epochs");
        StringAssert.Contains(result.Output, "Stop after this many epochs");
        StringAssert.Contains(result.Output, "--model.hidden-size");
        StringAssert.Contains(result.Output, "--ckpt-path");
    }

    [TestMethod]
    [DataRow("cuda-windows", "TorchSharp-cuda-windows")]
    [DataRow("cuda-linux", "TorchSharp-cuda-linux")]
    public void CudaBackendsReferenceTheirTorchSharpPackage(string backend, string package)
    {
        // TorchSharp's CUDA packages are too large to restore in tests: the project file is what the choice changes.
        var project = GeneratedProject.Create("lightning", "GpuModel", "--backend", backend, "--skip-restore");

        var csproj = project.Read("GpuModel.csproj");

        StringAssert.Contains(csproj, $"<PackageReference Include=\"{package}\" Version=\"{RepositoryVersions.TorchSharp}\" />");
        StringAssert.Contains(csproj, $"<PackageReference Include=\"Lightning.Runtime\" Version=\"{TemplateEnvironment.Version}\" />");
        StringAssert.Contains(csproj, $"<PackageReference Include=\"Lightning.Cli\" Version=\"{TemplateEnvironment.Version}\" />");
        Assert.IsFalse(csproj.Contains("TorchSharp-cpu", StringComparison.Ordinal));
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Directory, "obj")), "--skip-restore skips the restore");
    }

    [TestMethod]
    [DataRow("1Model", new string[0], "--name-must-start-with-a-letter")]
    [DataRow("-Model", new string[0], "--name-must-start-with-a-letter")]
    [DataRow("[Model", new string[0], "--name-must-start-with-a-letter")]
    [DataRow("~Model", new string[0], "--name-must-start-with-a-letter")]
    [DataRow("Model", new[] { "--backend", "tpu" }, "--backend")]
    [DataRow("Model", new[] { "--framework", "net8.0" }, "--framework")]
    public void BadInputIsRefusedNamingTheParameterAndNothingIsWritten(string name, string[] options, string parameter)
    {
        var parent = TemplateEnvironment.NewFolder("refused");

        var result = Dotnet.New(parent, ["lightning", "-n", name, .. options]);

        Assert.AreNotEqual(0, result.ExitCode, result.Everything);
        StringAssert.Contains(result.Everything, parameter);
        // dotnet new makes the (empty) project folder before it checks mandatory options; it writes no file.
        Assert.AreEqual(0, Directory.EnumerateFiles(parent, "*", SearchOption.AllDirectories).Count(), "no file is written");
    }

    [TestMethod]
    public void ANameWithASpaceGivesSafeIdentifiersAndAProjectThatBuildsAndStarts()
    {
        // The template engine cannot refuse a space inside a name (see the README), so the name's C# forms must be safe.
        var project = GeneratedProject.Create("lightning", "My App", "--backend", "none").Build();

        Assert.IsTrue(File.Exists(Path.Combine(project.Directory, "My App.csproj")));
        StringAssert.Contains(project.Read("My_App.cs"), "public sealed class My_App : LightningModule<(Tensor X, Tensor Y)>");
        StringAssert.Contains(project.Read("Program.cs"), "namespace My_App;");
        StringAssert.Contains(project.Read("Program.cs"), "LightningCli.Run<My_App>(");
        StringAssert.Contains(project.Run("fit", "--help").ShouldSucceed().Output, "--model.hidden-size");
    }

    [TestMethod]
    [DataRow("lightning", "class", "class.cs", "public sealed class @class : LightningModule<(Tensor X, Tensor Y)>")]
    [DataRow("lightning", "Class", "Class.cs", "public sealed class Class : LightningModule<(Tensor X, Tensor Y)>")]
    [DataRow("lightning-classifier", "My.int", "Program.cs", "namespace My.@int;")]
    public void ANameThatIsACSharpKeywordIsEscapedAndTheProjectBuilds(string template, string name, string file, string expected)
    {
        var project = GeneratedProject.Create(template, name, "--backend", "none").Build();

        StringAssert.Contains(project.Read(file), expected);
        StringAssert.Contains(project.Run("fit", "--help").ShouldSucceed().Output, "--model.hidden-size");
    }

    [TestMethod]
    [DataRow("lightning")]
    [DataRow("lightning-classifier")]
    public void TheProjectIgnoresWhatBuildsAndRunsWrite(string template)
    {
        var project = GeneratedProject.Create(template, "Ignoring", "--skip-restore");

        var ignored = File.ReadAllLines(Path.Combine(project.Directory, ".gitignore"));

        foreach (var folder in new[] { "bin/", "obj/", "lightning_logs/" })
            CollectionAssert.Contains(ignored, folder);
    }

    [TestMethod]
    public void BackendNoneBringsNoLibTorch()
    {
        var project = Projects.LightningWithItems;

        var assets = project.Read(Path.Combine("obj", "project.assets.json"));
        var libTorch = Directory.EnumerateFiles(Path.Combine(project.Directory, "bin"), "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .Where(f => f!.StartsWith("libtorch", StringComparison.Ordinal) || f.StartsWith("libc10", StringComparison.Ordinal)
                || f.StartsWith("torch_cpu", StringComparison.Ordinal) || f.StartsWith("c10", StringComparison.Ordinal))
            .ToList();

        Assert.IsFalse(assets.Contains("libtorch-cpu", StringComparison.OrdinalIgnoreCase), "the restore brought a LibTorch package");
        Assert.IsFalse(assets.Contains("TorchSharp-cpu", StringComparison.OrdinalIgnoreCase), "the restore brought TorchSharp-cpu");
        Assert.AreEqual("", string.Join(", ", libTorch), "LibTorch libraries in bin/");
    }
}
