using Lightning.Tests.Support;

namespace Lightning.Tests.Cli;

/// <summary>Bad settings and hostile files end the CLI with one <c>error:</c> line naming the option or file, and exit code 1.</summary>
[TestClass]
public sealed class CliErrorTests
{
    private static readonly TrainerOptions Quiet = new() { EnableProgressBar = false, EnableModelSummary = false };

    [TestMethod]
    [DataRow("trainer: [unclosed\n", "YAML")]
    [DataRow("trainer:\n  max_epochs: 3\n   - x\n", "trainer.max_epochs: '3 - x' is not a whole number")]
    [DataRow("? [a, b]\n: 1\n", "has a key at line 1 that is not a name")]
    [DataRow("trainer:\n  ? {a: 1}\n  : 2\n", "has a key at line 2 that is not a name")]
    [DataRow("seed: 1\nseed: 2\n", "seed")]
    [DataRow("\t- x: [\n", "YAML")]
    public void AMalformedYamlFileIsOneErrorNamingIt(string yaml, string detail)
    {
        var file = Write(yaml);

        var result = CliHarness.Run("fit", "--config", file);

        AssertOneError(result, file, detail);
    }

    [TestMethod]
    [DataRow("trainer: &t\n  max_epochs: *t\n")]
    [DataRow("a: &a [*a]\n")]
    [DataRow("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n")]
    public void AliasesAreRefusedSoASmallFileCannotExpandWithoutBound(string yaml)
    {
        var file = Write(yaml);

        var result = CliHarness.Run("fit", "--config", file);

        AssertOneError(result, file, "alias");
    }

    [TestMethod]
    public void ADefaultRootDirThatCannotBeCreatedIsOneError()
    {
        var blocker = Write("a file where a folder is wanted");
        var root = Path.Combine(blocker, "runs");

        var result = CliHarness.RunWith(Quiet, "fit", "--trainer.max-epochs", "1", "--trainer.default-root-dir", root);

        AssertOneError(result, root, "");
    }

    [TestMethod]
    public void AModelTooLargeToAllocateIsOneErrorNamingItsOptions()
    {
        // 65536 inputs times 2^31-1 hidden units of float32 is 563 TB, more than a 47-bit address space holds, so the
        // allocation fails even where the kernel overcommits memory.
        var result = CliHarness.RunWith(Quiet, "fit", "--data.features", "65536", "--model.hidden-size", "2147483647");

        AssertOneError(result, "--model.hidden-size 2147483647", "allocate");
    }

    [TestMethod]
    [DataRow("--model.learning-rate", "1e400", "'1e400' is out of range: a double holds at most 1.8e308")]
    [DataRow("--model.learning-rate", "1e39", "float without overflow")]
    [DataRow("--trainer.gradient-clip-val", "1e39", "float without overflow")]
    public void ANumberThatOverflowsIsOneErrorNamingTheOption(string option, string value, string detail)
    {
        // 1e39 fits the double the option takes, and overflows only where LibTorch makes it a float32.
        var result = CliHarness.RunWith(Quiet, "fit", "--trainer.max-epochs", "1", option, value);

        AssertOneError(result, option, detail);
    }

    [TestMethod]
    public void BestWithNoBestCheckpointIsOneError()
    {
        var result = CliHarness.RunWith(new TrainerOptions { EnableProgressBar = false, DefaultRootDir = TempDir.Create() }, "test", "--ckpt-path", "best");

        AssertOneError(result, "--ckpt-path", "found no best checkpoint");
    }

    [TestMethod]
    public void AModelWhoseInputSizeDoesNotFitTheDataIsOneError()
    {
        var result = CliHarness.RunWith(Quiet, "fit", "--trainer.max-epochs", "1", "--model.input-size", "3");

        AssertOneError(result, "--model.input-size", "mat1 and mat2 shapes cannot be multiplied");
    }

    [TestMethod]
    [DataRow("not a checkpoint at all")]
    [DataRow("")]
    public void ACorruptOrMissingCheckpointIsOneErrorNamingTheFile(string content)
    {
        var file = content.Length == 0 ? Path.Combine(TempDir.Create(), "nosuch.ckpt") : Write(content, "corrupt.ckpt");

        var result = CliHarness.RunWith(Quiet, "test", "--ckpt-path", file);

        AssertOneError(result, file, "");
    }

    [TestMethod]
    public void AConstructorCheckOverSeveralParametersNamesTheirOptions()
    {
        var result = CliHarness.RunWith(Quiet, "fit", "--data.rows", "4", "--data.batch-size", "8");

        AssertOneError(result, "--data.batch-size (8)", "--data.rows (4)");
    }

    [TestMethod]
    [DataRow(new[] { "--trainer.devices", "0," }, "--trainer.devices [0] picks a GPU by index; on the CPU give --trainer.devices 1.")]
    [DataRow(new[] { "--trainer.devices", "2", "--trainer.strategy", "single_device" }, "--trainer.strategy \"single_device\" trains on one device, but --trainer.devices 2")]
    [DataRow(new[] { "--trainer.accelerator", "gpu" }, "--trainer.accelerator")]
    [DataRow(new[] { "--trainer.strategy", "nosuch" }, "--trainer.strategy")]
    public void ATrainerSettingThatCannotWorkHereIsOneError(string[] setting, string option)
    {
        var result = CliHarness.RunWith(Quiet, ["fit", .. setting]);

        AssertOneError(result, option, "");
    }

    private static void AssertOneError((int ExitCode, string Output, string Error) result, string mustName, string detail)
    {
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.AreEqual(1, result.ExitCode, result.Output + result.Error);
        Assert.HasCount(1, lines, result.Error);
        StringAssert.StartsWith(lines[0], "error: ");
        StringAssert.Contains(lines[0], mustName);
        StringAssert.Contains(lines[0], detail);
    }

    private static string Write(string text, string name = "config.yaml")
    {
        var file = Path.Combine(TempDir.Create(), name);
        File.WriteAllText(file, text);
        return file;
    }
}
