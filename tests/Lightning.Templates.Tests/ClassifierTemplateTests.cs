using System.Globalization;
using System.Text.RegularExpressions;
using Lightning.Templates.Tests.Support;

namespace Lightning.Templates.Tests;

[TestClass]
public sealed partial class ClassifierTemplateTests
{
    [TestMethod]
    public void TheDigitsClassifierMatchesItsSnapshot() => Snapshot.Match("lightning-classifier", Projects.Digits.Directory);

    [TestMethod]
    public void DotnetRunReachesNinetyFivePercentTestAccuracyOnDigits()
    {
        var result = Projects.Digits.Run().ShouldSucceed();

        var accuracy = TestAccuracy(result.Output);
        Assert.IsTrue(accuracy >= 0.95, $"test accuracy {accuracy:0.000} is under 0.95\n{result.Output}");
        StringAssert.Contains(result.Output, "val_acc");
    }

    [TestMethod]
    public void TheCsvClassifierMatchesItsSnapshotWithEveryParameterApplied()
    {
        var project = Projects.Csv;

        Snapshot.Match("lightning-classifier-csv", project.Directory);
        StringAssert.Contains(project.Read("Classifier.cs"), "int hiddenSize = 32, double learningRate = 0.005");
        StringAssert.Contains(project.Read("Program.cs"), "MaxEpochs = 40,");
    }

    [TestMethod]
    public void TheCsvClassifierLearnsTheSampleFile()
    {
        var result = Projects.Csv.Run().ShouldSucceed();

        Assert.IsTrue(TestAccuracy(result.Output) >= 0.8, result.Output);
    }

    [TestMethod]
    public void AFastDevRunTouchesEveryStage()
    {
        var result = Projects.Csv.Run("fit", "--trainer.fast-dev-run", "--data.batch-size", "8").ShouldSucceed();

        StringAssert.Contains(result.Output, "1/1");
    }

    [TestMethod]
    public void TwoProcessesTrainTheClassifierAsGenerated()
    {
        var result = Projects.Csv.Run("fit", "--trainer.devices", "2", "--trainer.strategy", "ddp", "--trainer.max-epochs", "3").ShouldSucceed();

        StringAssert.Contains(result.Everything, "Starting 2 processes: ");
        Assert.AreEqual(1, Regex.Count(result.Output, "Trainable params"), "the model summary comes from rank 0 alone\n" + result.Everything);
        StringAssert.Contains(result.Output, "Epoch 2", result.Everything);
    }

    [TestMethod]
    [DataRow(new[] { "--hidden-size", "0" }, "--hidden-size")]
    [DataRow(new[] { "--hidden-size", "-3" }, "--hidden-size")]
    [DataRow(new[] { "--hidden-size", "many" }, "--hidden-size")]
    [DataRow(new[] { "--max-epochs", "0" }, "--max-epochs")]
    [DataRow(new[] { "--learning-rate", "0" }, "--learning-rate")]
    [DataRow(new[] { "--learning-rate", "-0.1" }, "--learning-rate")]
    [DataRow(new[] { "--data", "parquet" }, "--data")]
    [DataRow(new[] { "--backend", "rocm" }, "--backend")]
    public void BadInputIsRefusedNamingTheParameterAndNothingIsWritten(string[] options, string parameter)
    {
        var parent = TemplateEnvironment.NewFolder("refused");

        var result = Dotnet.New(parent, ["lightning-classifier", "-n", "Digits", .. options]);

        Assert.AreNotEqual(0, result.ExitCode, result.Everything);
        StringAssert.Contains(result.Everything, parameter);
        // dotnet new makes the (empty) project folder before it checks mandatory options; it writes no file.
        Assert.AreEqual(0, Directory.EnumerateFiles(parent, "*", SearchOption.AllDirectories).Count(), "no file is written");
    }

    [TestMethod]
    public void ANameWithASpaceGivesASafeNamespaceAndAProjectThatBuilds()
    {
        var project = GeneratedProject.Create("lightning-classifier", "My Digits", "--backend", "none").Build();

        Assert.IsTrue(File.Exists(Path.Combine(project.Directory, "My Digits.csproj")));
        StringAssert.Contains(project.Read("Program.cs"), "namespace My_Digits;");
        StringAssert.Contains(project.Read("Classifier.cs"), "namespace My_Digits;");
    }

    [TestMethod]
    public void FitWithCkptPathLastGoesOnFromTheLastEpoch()
    {
        var root = TemplateEnvironment.NewFolder("resume");
        Projects.Csv.Run("fit", "--trainer.max-epochs", "2", "--trainer.default-root-dir", root, "--trainer.enable-progress-bar", "false").ShouldSucceed();

        var resumed = Projects.Csv.Run("fit", "--ckpt-path", "last", "--trainer.max-epochs", "3", "--trainer.default-root-dir", root).ShouldSucceed();

        // The first fit kept last.ckpt (end of epoch 1), so the second runs epoch 2 only.
        StringAssert.Contains(resumed.Output, "Epoch 2");
        Assert.IsFalse(resumed.Output.Contains("Epoch 0", StringComparison.Ordinal), resumed.Output);
        Assert.IsFalse(resumed.Everything.Contains("found no last checkpoint", StringComparison.Ordinal), resumed.Everything);
    }

    [TestMethod]
    public void TheDataSetsSizesReachTheModel()
    {
        // 784 features and 10 classes, as MNIST has: the model must be built with those sizes without --model options.
        var file = Path.Combine(TemplateEnvironment.NewFolder("wide-csv"), "wide.csv");
        var random = new Random(5);
        var lines = new List<string> { string.Join(",", Enumerable.Range(0, 784).Select(i => $"p{i}").Append("digit")) };
        for (var row = 0; row < 60; row++)
            lines.Add(string.Join(",", Enumerable.Range(0, 784).Select(_ => random.Next(16).ToString(CultureInfo.InvariantCulture)).Append($"d{row % 10}")));
        File.WriteAllLines(file, lines);
        string[] data = ["--data.path", file, "--data.label-column", "digit"];

        var printed = Projects.Csv.Run(["fit", .. data, "--print-config"]).ShouldSucceed();
        // A model built for iris's 4 features and 3 classes would fail on the first batch.
        Projects.Csv.Run(["fit", .. data, "--trainer.fast-dev-run"]).ShouldSucceed();

        StringAssert.Contains(printed.Output, "# input-size: 784");
        StringAssert.Contains(printed.Output, "# num-classes: 10");
    }

    [TestMethod]
    public void ABadSettingIsOneErrorLineNamingTheOptionTyped()
    {
        var result = Projects.Csv.Run("fit", "--data.val-fraction", "0.99");

        Assert.AreEqual(1, result.ExitCode, result.Everything);
        Assert.AreEqual("error: --data.val-fraction (0.99) + --data.test-fraction (0.15) must be under 1, to leave rows for training.", result.Error.Trim());
    }

    private static double TestAccuracy(string output)
    {
        var match = TestAccRow().Match(output);
        Assert.IsTrue(match.Success, $"no test_acc in the output:\n{output}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"test_acc\s+([0-9.]+)")]
    private static partial Regex TestAccRow();
}
