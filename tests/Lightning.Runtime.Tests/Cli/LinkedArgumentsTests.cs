using Lightning.Tests.Support;

namespace Lightning.Tests.Cli;

/// <summary>The data module's public properties feed the model parameters of the same name (Lightning's link_arguments).</summary>
[TestClass]
public sealed class LinkedArgumentsTests
{
    [TestMethod]
    public void TheDataModulesSizeReachesTheModel()
    {
        TinyRegression? created = null;
        var output = new StringWriter();
        var code = LightningCli.Run(["fit", "--trainer.max-epochs", "1", "--trainer.default-root-dir", TempDir.Create(), "--trainer.enable-progress-bar", "false",
                "--data.features", "7"],
            (int inputSize = 4) => created = new TinyRegression(inputSize: inputSize),
            (int features = 4) => new RandomRegressionData(features: features),
            new LightningCliSettings { Output = output, Error = output, Seed = 3 });

        Assert.AreEqual(0, code, output.ToString());
        Assert.AreEqual(7, created!.InputSize);
        CollectionAssert.AreEqual(new[] { 0 }, created.EpochsSeen);
    }

    [TestMethod]
    public void PrintConfigShowsTheLinkedValueAsAComment()
    {
        var (code, output, error) = CliHarness.Run("fit", "--data.features", "6", "--print-config");

        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "  # input-size: 6  (linked: the data module's InputSize; set it to override)");
        Assert.AreEqual("6", CliHarness.ConfigValue(output, "data", "features"));
    }

    [TestMethod]
    public void AnOptionTheUserGaveWinsOverTheLink()
    {
        var file = Path.Combine(TempDir.Create(), "config.yaml");
        File.WriteAllText(file, "model:\n  input_size: 5\n");

        var fromCommandLine = CliHarness.Run("fit", "--data.features", "6", "--model.input-size", "3", "--print-config");
        var fromFile = CliHarness.Run("fit", "--data.features", "6", "--config", file, "--print-config");

        Assert.AreEqual("3", CliHarness.ConfigValue(fromCommandLine.Output, "model", "input-size"));
        Assert.AreEqual("5", CliHarness.ConfigValue(fromFile.Output, "model", "input-size"));
    }

    [TestMethod]
    public void APrintedConfigReadBackLinksAgainFromItsData()
    {
        var (_, printed, _) = CliHarness.Run("fit", "--data.features", "6", "--print-config");
        var file = Path.Combine(TempDir.Create(), "config.yaml");
        File.WriteAllText(file, printed);

        var (code, output, error) = CliHarness.Run("fit", "--config", file, "--data.features", "9", "--print-config");

        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "  # input-size: 9  (linked");
    }

    [TestMethod]
    public void ALinkedParameterWithoutDefaultIsNotRequired()
    {
        TinyRegression? created = null;
        var output = new StringWriter();
        var code = LightningCli.Run(["fit", "--trainer.fast-dev-run", "--trainer.enable-progress-bar", "false", "--data.features", "2"],
            (int inputSize) => created = new TinyRegression(inputSize: inputSize),
            (int features = 4) => new RandomRegressionData(features: features),
            new LightningCliSettings { Output = output, Error = output, Seed = 3 });

        Assert.AreEqual(0, code, output.ToString());
        Assert.AreEqual(2, created!.InputSize);
    }
}
