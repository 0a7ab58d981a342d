using Lightning.Cli;
using Lightning.Tests.Support;

namespace Lightning.Tests.Cli;

/// <summary>What a run started from the command line leaves behind and takes, as LightningCLI does.</summary>
[TestClass]
public sealed class LightningCliRunTests
{
    [TestMethod]
    public void SnakeCaseOptionNamesAreAcceptedAsLightningUsersTypeThem()
    {
        var (code, output, error) = CliHarness.Run("fit", "--trainer.max_epochs", "3", "--model.hidden_size=16", "--trainer.limit_train_batches", "0.5", "--print_config");

        Assert.AreEqual(0, code, error);
        Assert.AreEqual("3", CliHarness.ConfigValue(output, "trainer", "max-epochs"));
        Assert.AreEqual("0.5", CliHarness.ConfigValue(output, "trainer", "limit-train-batches"));
        Assert.AreEqual("16", CliHarness.ConfigValue(output, "model", "hidden-size"));
    }

    [TestMethod]
    public void TheResolvedConfigurationIsSavedInTheLogFolderAndConfigReadsItBack()
    {
        var root = TempDir.Create();

        var (code, _, error) = CliHarness.RunWith(CliHarness.Quiet(root), "fit", "--trainer.max-epochs", "2", "--model.hidden-size", "5", "--data.features", "3");
        var saved = Path.Combine(root, "lightning_logs", "version_0", "config.yaml");
        var reprinted = CliHarness.Run("fit", "--config", saved, "--print-config");

        Assert.AreEqual(0, code, error);
        Assert.IsTrue(File.Exists(saved), "no config.yaml in the run's log folder");
        Assert.AreEqual(File.ReadAllText(saved), reprinted.Output);
        Assert.AreEqual("2", CliHarness.ConfigValue(reprinted.Output, "trainer", "max-epochs"));
        Assert.AreEqual("5", CliHarness.ConfigValue(reprinted.Output, "model", "hidden-size"));
    }

    [TestMethod]
    [DataRow("csv", "metrics.csv")]
    [DataRow("tensorboard", "events.out.tfevents.*")]
    public void TheLoggerIsChosenByName(string logger, string file)
    {
        var root = TempDir.Create();

        // Fit, then test, which logs test_loss.
        var (code, _, error) = CliHarness.RunWith(CliHarness.Quiet(root), "--trainer.max-epochs", "1", "--trainer.logger", logger);

        Assert.AreEqual(0, code, error);
        var folder = Path.Combine(root, "lightning_logs", "version_0");
        Assert.IsNotEmpty(Directory.GetFiles(folder, file), string.Join(", ", Directory.GetFiles(folder)));
    }

    [TestMethod]
    [DataRow("CsvLogger", "--trainer.logger.name", "metrics.csv")]
    [DataRow("Lightning.CsvLogger", "--trainer.logger.name", "metrics.csv")]
    [DataRow("TensorBoardLogger", "--trainer.logger.Name", "events.out.tfevents.*")]
    [DataRow("tensorboard", "--trainer.logger.name", "events.out.tfevents.*")]
    public void TheLoggerIsChosenByClassWithItsArguments(string logger, string nameOption, string file)
    {
        var root = TempDir.Create();

        var (code, _, error) = CliHarness.RunWith(CliHarness.Quiet(root), "--trainer.max-epochs", "1", "--trainer.logger", logger, nameOption, "runs",
            "--trainer.logger.version=3");

        Assert.AreEqual(0, code, error);
        var folder = Path.Combine(root, "runs", "version_3");
        Assert.IsNotEmpty(Directory.GetFiles(folder, file), string.Join(", ", Directory.GetFiles(folder)));
        Assert.IsTrue(File.Exists(Path.Combine(folder, "config.yaml")));
    }

    [TestMethod]
    public void AConfigFileChoosesTheLoggersAndPrintConfigWritesThemBack()
    {
        var root = TempDir.Create();
        var one = Path.Combine(root, "one.yaml");
        File.WriteAllText(one, "trainer:\n  logger:\n    class_path: CsvLogger\n    init_args:\n      name: runs\n");
        var two = Path.Combine(root, "two.yaml");
        File.WriteAllText(two, "trainer:\n  logger:\n  - class_path: CsvLogger\n  - class_path: TensorBoardLogger\n    init_args: {name: tb, default_hp_metric: false}\n");

        var (code, _, error) = CliHarness.RunWith(CliHarness.Quiet(root), "--trainer.max-epochs", "1", "--config", one);
        var printed = CliHarness.RunWith(CliHarness.Quiet(root), "fit", "--config", two, "--print-config");
        var reprinted = Path.Combine(root, "printed.yaml");
        File.WriteAllText(reprinted, printed.Output);
        var (readBackCode, _, readBackError) = CliHarness.RunWith(CliHarness.Quiet(root), "--trainer.max-epochs", "1", "--config", reprinted);

        Assert.AreEqual(0, code, error);
        Assert.IsTrue(File.Exists(Path.Combine(root, "runs", "version_0", "metrics.csv")));
        StringAssert.Contains(printed.Output, "  logger:\n  - class_path: CsvLogger\n  - class_path: TensorBoardLogger\n    init_args:\n      name: tb\n      default_hp_metric: false\n");
        Assert.AreEqual(0, readBackCode, readBackError);
        Assert.IsTrue(File.Exists(Path.Combine(root, "lightning_logs", "version_0", "metrics.csv")));
        Assert.IsNotEmpty(Directory.GetFiles(Path.Combine(root, "tb", "version_0"), "events.out.tfevents.*"));
    }

    [TestMethod]
    public void TheLoggerOptionAloneSwitchesTheDefaultLoggerOn()
    {
        var root = TempDir.Create();
        var defaults = CliHarness.Quiet(root);
        defaults.Logger = false;

        var (code, output, error) = CliHarness.RunWith(defaults, "fit", "--trainer.logger", "--trainer.max-epochs", "1", "--print-config");

        Assert.AreEqual(0, code, error);
        Assert.AreEqual("true", CliHarness.ConfigValue(output, "trainer", "logger"));
        Assert.AreEqual("1", CliHarness.ConfigValue(output, "trainer", "max-epochs"));
        Assert.AreEqual("false", CliHarness.ConfigValue(CliHarness.RunWith(defaults, "fit", "--print-config").Output, "trainer", "logger"));
    }

    [TestMethod]
    public void LoggerFalseLogsNothingAndTheConfigurationGoesToTheRootFolder()
    {
        var root = TempDir.Create();

        var (code, _, error) = CliHarness.RunWith(CliHarness.Quiet(root), "fit", "--trainer.max-epochs", "1", "--trainer.logger", "false");

        Assert.AreEqual(0, code, error);
        Assert.IsFalse(Directory.Exists(Path.Combine(root, "lightning_logs")));
        Assert.IsTrue(File.Exists(Path.Combine(root, "config.yaml")));
    }

    [TestMethod]
    public void PredictWritesItsPredictionsToTheFileItNames()
    {
        var root = TempDir.Create();

        var (code, output, error) = CliHarness.RunWith(CliHarness.Quiet(root), "predict", "--data.rows", "20", "--data.batch-size", "8");

        Assert.AreEqual(0, code, error);
        var file = Path.Combine(root, "lightning_logs", "version_0", "predictions.csv");
        StringAssert.Contains(output, file);
        var lines = File.ReadAllLines(file);
        Assert.AreEqual("prediction", lines[0]);
        Assert.HasCount(21, lines);
        Assert.IsTrue(lines.Skip(1).All(l => double.TryParse(l, System.Globalization.CultureInfo.InvariantCulture, out _)), string.Join("\n", lines));
    }

    [TestMethod]
    public void TorchLibPathsHelpNamesTheMethodItsDocumentationRefersTo()
    {
        var help = XmlDocs.Summary(typeof(TrainerOptions).GetProperty(nameof(TrainerOptions.TorchLibPath))!);

        StringAssert.Contains(help, "or LibTorch.Use at the start of Main is the safer way.");
        StringAssert.Contains(XmlDocs.Summary(typeof(TrainerOptions).GetProperty(nameof(TrainerOptions.MaxEpochs))!), "when MaxSteps is also unset");
    }
}
