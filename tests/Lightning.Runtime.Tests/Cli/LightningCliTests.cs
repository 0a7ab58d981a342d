using System.Reflection;
using Lightning.Tests.Support;

namespace Lightning.Tests.Cli;

[TestClass]
public sealed class LightningCliTests
{
    [TestMethod]
    public void PrintConfigShowsDefaultsThenCommandLineValues()
    {
        var (code, output, error) = CliHarness.Run("fit", "--trainer.max-epochs", "3", "--model.hidden-size", "16",
            "--data.batch-size", "4", "--trainer.limit-train-batches", "0.5", "--trainer.deterministic", "--trainer.fast-dev-run", "--print-config");

        Assert.AreEqual(0, code, error);
        Assert.AreEqual("3", CliHarness.ConfigValue(output, "trainer", "max-epochs"));
        Assert.AreEqual("0.5", CliHarness.ConfigValue(output, "trainer", "limit-train-batches"));
        Assert.AreEqual("true", CliHarness.ConfigValue(output, "trainer", "deterministic"));
        Assert.AreEqual("true", CliHarness.ConfigValue(output, "trainer", "fast-dev-run"));
        Assert.AreEqual("auto", CliHarness.ConfigValue(output, "trainer", "accelerator"));
        Assert.AreEqual("16", CliHarness.ConfigValue(output, "model", "hidden-size"));
        Assert.AreEqual("0.05", CliHarness.ConfigValue(output, "model", "learning-rate"));
        Assert.AreEqual("relu", CliHarness.ConfigValue(output, "model", "activation"));
        Assert.AreEqual("4", CliHarness.ConfigValue(output, "data", "batch-size"));
        Assert.AreEqual("7", CliHarness.ConfigValue(output, "", "seed"));
        Assert.AreEqual("null", CliHarness.ConfigValue(output, "", "ckpt-path"));
    }

    [TestMethod]
    public void PrintedConfigReadsBackUnchanged()
    {
        var (_, first, _) = CliHarness.Run("fit", "--trainer.max-time", "00:01:30:00", "--trainer.devices", "auto",
            "--trainer.gradient-clip-algorithm", "value", "--model.activation", "tanh", "--print-config");
        var file = Path.Combine(TempDir.Create(), "config.yaml");
        File.WriteAllText(file, first);

        var (code, second, error) = CliHarness.Run("fit", "--config", file, "--print-config");

        Assert.AreEqual(0, code, error);
        Assert.AreEqual(first, second);
        Assert.AreEqual("01:30:00", CliHarness.ConfigValue(second, "trainer", "max-time"));
    }

    [TestMethod]
    public void ConfigFilesApplyInOrderAndTheCommandLineWins()
    {
        var dir = TempDir.Create();
        var yaml = Path.Combine(dir, "base.yaml");
        File.WriteAllText(yaml, "seed_everything: 11\ntrainer:\n  max_epochs: 4\n  precision: bf16-mixed\nmodel:\n  hiddenSize: 32\n");
        var json = Path.Combine(dir, "override.json");
        File.WriteAllText(json, """{ "trainer": { "MaxEpochs": 6, "devices": [0, 1] }, "data": { "rows": 64 } }""");

        var (code, output, error) = CliHarness.Run("fit", "--config", yaml, "--config", json, "--model.hidden-size", "12", "--print-config");

        Assert.AreEqual(0, code, error);
        Assert.AreEqual("11", CliHarness.ConfigValue(output, "", "seed"));
        Assert.AreEqual("6", CliHarness.ConfigValue(output, "trainer", "max-epochs"));
        Assert.AreEqual("bf16-mixed", CliHarness.ConfigValue(output, "trainer", "precision"));
        Assert.AreEqual("0,1", CliHarness.ConfigValue(output, "trainer", "devices"));
        Assert.AreEqual("12", CliHarness.ConfigValue(output, "model", "hidden-size"));
        Assert.AreEqual("64", CliHarness.ConfigValue(output, "data", "rows"));
    }

    [TestMethod]
    public void EveryTrainerOptionHasAKebabCaseOptionWithItsDocumentation()
    {
        var (code, output, _) = CliHarness.Run("fit", "--help");

        Assert.AreEqual(0, code);
        var properties = typeof(TrainerOptions).GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.Name != nameof(TrainerOptions.Callbacks)).ToList();
        Assert.IsTrue(properties.Count > 30);
        foreach (var property in properties)
            StringAssert.Contains(output, "--trainer." + Lightning.Cli.CliNames.Kebab(property.Name) + " ", property.Name);
        StringAssert.Contains(output, "--trainer.check-val-every-n-epoch");
        StringAssert.Contains(output, "Stop after this many epochs");
        StringAssert.Contains(output, "--model.hidden-size");
        StringAssert.Contains(output, "--data.batch-size");
        StringAssert.Contains(output, "--ckpt-path");
        StringAssert.Contains(output, "--print-config");
    }

    [TestMethod]
    [DataRow(new[] { "fit", "--trainer.max-epochs", "many" }, "--trainer.max-epochs", "'many' is not a whole number")]
    [DataRow(new[] { "fit", "--trainer.max-epochs", "-5" }, "--trainer.max-epochs", "non-negative number of epochs")]
    [DataRow(new[] { "fit", "--trainer.precision", "8-bit" }, "--trainer.precision", "must be one of")]
    [DataRow(new[] { "fit", "--trainer.profiler", "pytorch" }, "--trainer.profiler", "simple, advanced")]
    [DataRow(new[] { "fit", "--trainer.limit-train-batches", "1.5" }, "--trainer.limit-train-batches", "fraction in [0.0, 1.0]")]
    [DataRow(new[] { "fit", "--trainer.gradient-clip-algorithm", "clamp" }, "--trainer.gradient-clip-algorithm", "norm, value")]
    [DataRow(new[] { "fit", "--model.hidden-size", "0" }, "--model.hidden-size ('0') must be a non-negative and non-zero value.", "")]
    [DataRow(new[] { "fit", "--model.activation", "gelu" }, "--model.activation", "relu, tanh")]
    [DataRow(new[] { "fit", "--seed", "abc" }, "--seed", "'abc' is not a whole number")]
    [DataRow(new[] { "fit", "--model.hiden-size", "3" }, "--model.hiden-size", "")]
    public void BadValuesAreRefusedNamingTheOption(string[] args, string option, string detail)
    {
        var (code, output, error) = CliHarness.Run(args);

        Assert.AreNotEqual(0, code, output);
        StringAssert.Contains(error, option);
        StringAssert.Contains(error, detail);
    }

    [TestMethod]
    public void AnUnknownConfigKeyIsRefusedWithASuggestion()
    {
        var file = Path.Combine(TempDir.Create(), "config.yaml");
        File.WriteAllText(file, "trainer:\n  max-epoch: 3\n");

        var (code, _, error) = CliHarness.Run("fit", "--config", file);

        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "'trainer.max-epoch', which is not a setting");
        StringAssert.Contains(error, "Did you mean 'trainer.max-epochs'?");
    }

    [TestMethod]
    public void SeedTrueDrawsASeedThatPrintConfigShows()
    {
        var (code, output, error) = CliHarness.Run("fit", "--seed", "true", "--print-config");

        Assert.AreEqual(0, code, error);
        Assert.IsTrue(long.TryParse(CliHarness.ConfigValue(output, "", "seed"), out _), output);
    }

    [TestMethod]
    public void FitTrainsWithTheResolvedOptionsAndFactoryParameters()
    {
        TinyRegression? created = null;
        var root = TempDir.Create();
        var output = new StringWriter();
        var code = LightningCli.Run(["fit", "--trainer.max-epochs", "3", "--trainer.default-root-dir", root, "--trainer.enable-progress-bar", "false",
                "--model.width", "6", "--data.rows", "24"],
            (int width = 4) => created = new TinyRegression(width),
            (int rows = 16) => new RandomRegressionData(8, rows),
            new LightningCliSettings { Output = output, Seed = 3 });

        Assert.AreEqual(0, code, output.ToString());
        Assert.IsNotNull(created);
        Assert.AreEqual(6, created.HiddenSize);
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, created.EpochsSeen);
    }

    [TestMethod]
    public void NoSubCommandFitsThenTests()
    {
        TinyRegression? created = null;
        var settings = new LightningCliSettings
        {
            Output = new StringWriter(),
            TrainerDefaults = new TrainerOptions { MaxEpochs = 2, EnableProgressBar = false, DefaultRootDir = TempDir.Create() },
        };

        var code = LightningCli.Run([], () => created = new TinyRegression(), () => new RandomRegressionData(), settings);

        Assert.AreEqual(0, code);
        CollectionAssert.AreEqual(new[] { 0, 1 }, created!.EpochsSeen);
        Assert.AreEqual(4, created.TestBatchesSeen);
    }

    [TestMethod]
    public void ARequiredConstructorParameterMustBeGiven()
    {
        var error = new StringWriter();
        var code = LightningCli.Run(["fit"], (int width) => new TinyRegression(width), null, new LightningCliSettings { Error = error });

        Assert.AreEqual(1, code);
        StringAssert.Contains(error.ToString(), "--model.width is required");
    }

    [TestMethod]
    public void ModuleAndDataModuleMustShareTheBatchType()
    {
        var exception = Assert.ThrowsExactly<ArgumentException>(() =>
            LightningCli.Run(["fit"], () => new TinyRegression(), () => new TextData()));

        StringAssert.Contains(exception.Message, "same batch type");
    }

    private sealed class TextData : LightningDataModule<string>;
}
