using System.Globalization;
using Lightning.Tests.Support;

namespace Lightning.Tests.Cli;

/// <summary><c>--tune lr</c> and <c>--tune batch-size</c> run the tuner before fitting.</summary>
[TestClass]
public sealed class TuneOptionTests
{
    [TestMethod]
    public void TuneLrFitsWithTheSuggestedRateAndWritesTheCurve()
    {
        var root = TempDir.Create();

        var (code, output, error) = CliHarness.RunWith(CliHarness.Quiet(root), "fit", "--tune", "lr", "--trainer.max-epochs", "1");

        Assert.AreEqual(0, code, error);
        var folder = Path.Combine(root, "lightning_logs", "version_0");
        var rows = File.ReadAllLines(Path.Combine(folder, "lr_find.csv"));
        Assert.AreEqual("lr,loss,suggested", rows[0]);
        var lrs = rows.Skip(1).Select(r => double.Parse(r.Split(',')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.IsTrue(lrs.Count > 11, $"the search ran its steps across epochs of 4 batches ({lrs.Count} rows)");
        CollectionAssert.AreEqual(lrs.Order().ToList(), lrs, "the rate rises step by step");
        var line = output.Split('\n').Single(l => l.StartsWith("Learning-rate finder: trained with learning rate ", StringComparison.Ordinal));
        var chosen = double.Parse(line.Split(' ')[6].TrimEnd(';'), CultureInfo.InvariantCulture);
        Assert.AreEqual(chosen, lrs[rows.Skip(1).ToList().FindIndex(r => r.EndsWith(",1", StringComparison.Ordinal))], "the curve marks the rate trained with");
        var saved = File.ReadAllText(Path.Combine(folder, "config.yaml"));
        Assert.AreEqual(chosen, double.Parse(CliHarness.ConfigValue(saved, "model", "learning-rate"), CultureInfo.InvariantCulture),
            "config.yaml holds the rate the fit trained with");
        Assert.AreEqual("null", CliHarness.ConfigValue(saved, "", "tune"), "config.yaml asks for no search");
        StringAssert.Contains(saved, "# tuned by --tune lr; configured: 0.05");
    }

    [TestMethod]
    public void FittingAgainFromTheSavedConfigTrainsAtTheTunedRateWithoutSearching()
    {
        var root = TempDir.Create();
        var (code, _, error) = CliHarness.RunWith(CliHarness.Quiet(root), "fit", "--tune", "lr", "--trainer.max-epochs", "1");
        Assert.AreEqual(0, code, error);
        var first = Path.Combine(root, "lightning_logs", "version_0");
        var tuned = double.Parse(CliHarness.ConfigValue(File.ReadAllText(Path.Combine(first, "config.yaml")), "model", "learning-rate"), CultureInfo.InvariantCulture);
        var recorder = new OptimizerRecorder();

        (code, var output, error) = CliHarness.RunWith(CliHarness.Quiet(root, recorder), "fit", "--config", Path.Combine(first, "config.yaml"));

        Assert.AreEqual(0, code, error);
        Assert.AreEqual(tuned, recorder.Lr, "the rerun trains at the tuned rate");
        Assert.IsFalse(output.Contains("Learning-rate finder", StringComparison.Ordinal), output);
        Assert.IsFalse(File.Exists(Path.Combine(root, "lightning_logs", "version_1", "lr_find.csv")), "the rerun does not search");
    }

    [TestMethod]
    public void TuneLrStaysInTheSavedConfigWhenNoSettingHoldsTheRate()
    {
        // The factory builds the module without a learning-rate parameter: only a new search gives its LearningRate the rate.
        var root = TempDir.Create();
        var settings = new LightningCliSettings { Output = new StringWriter(), Error = new StringWriter(), Seed = 7, TrainerDefaults = CliHarness.Quiet(root) };

        var code = LightningCli.Run(["fit", "--tune", "lr", "--trainer.max-epochs", "1"], (int hiddenSize = 8) => new TinyRegression(hiddenSize),
            () => new RandomRegressionData(), settings);

        Assert.AreEqual(0, code, settings.Error.ToString());
        var saved = File.ReadAllText(Path.Combine(root, "lightning_logs", "version_0", "config.yaml"));
        Assert.AreEqual("lr", CliHarness.ConfigValue(saved, "", "tune"), "a rerun must search again to train at a tuned rate");
        StringAssert.Contains(saved, "set TinyRegression.LearningRate 0.05 -> ");
        StringAssert.Contains(saved, "(no model setting holds it, so lr stays in tune); a rerun searches again for lr only.");
    }

    [TestMethod]
    [DataRow(false, DisplayName = "a module whose ConfigureOptimizers reads LearningRate")]
    [DataRow(true, DisplayName = "a module without ConfigureOptimizers")]
    public void TuneLrWithTheCommandLineOptimizerTrainsThatOptimizerAtTheSuggestedRate(bool withoutConfigureOptimizers)
    {
        // The search can only drive the command line's AdamW for the module without ConfigureOptimizers; the fit must
        // train it at the suggested rate, not --optimizer.lr (which Lightning's CLI keeps, losing the suggestion).
        var root = TempDir.Create();
        var recorder = new OptimizerRecorder();
        string[] args = ["fit", "--tune", "lr", "--trainer.max-epochs", "1", "--optimizer", "AdamW", "--optimizer.lr", "0.01"];

        var (code, output, error) = withoutConfigureOptimizers
            ? CliHarness.RunWith<RegressionWithoutOptimizer>(CliHarness.Quiet(root, recorder), args)
            : CliHarness.RunWith(CliHarness.Quiet(root, recorder), args);

        Assert.AreEqual(0, code, error);
        var folder = Path.Combine(root, "lightning_logs", "version_0");
        var suggested = File.ReadAllLines(Path.Combine(folder, "lr_find.csv")).Skip(1).Where(r => r.EndsWith(",1", StringComparison.Ordinal))
            .Select(r => double.Parse(r.Split(',')[0], CultureInfo.InvariantCulture)).Single();
        Assert.AreNotEqual(0.01, suggested);
        Assert.AreEqual(typeof(Optimizers.AdamW), recorder.Optimizer);
        Assert.AreEqual(suggested, recorder.Lr, "the fit trains the command line's optimizer at the suggested rate");
        StringAssert.Contains(output, $"Learning-rate finder: trained with learning rate {suggested.ToString(CultureInfo.InvariantCulture)};");
        var saved = File.ReadAllText(Path.Combine(folder, "config.yaml"));
        Assert.AreEqual(suggested, double.Parse(CliHarness.ConfigValue(saved, "optimizer", "lr"), CultureInfo.InvariantCulture),
            "config.yaml records the rate the optimizer was built with");
        Assert.AreEqual("null", CliHarness.ConfigValue(saved, "", "tune"), "config.yaml asks for no search");
        StringAssert.Contains(saved, $"set optimizer.init_args.lr 0.01 -> {suggested.ToString("R", CultureInfo.InvariantCulture)};");
    }

    [TestMethod]
    public void TuneLrForAModuleWithoutConfigureOptimizersAsksForTheCommandLineOptimizer()
    {
        var (code, _, error) = CliHarness.RunWith<RegressionWithoutOptimizer>(CliHarness.Quiet(TempDir.Create()), "fit", "--tune", "lr", "--trainer.max-epochs", "1");

        Assert.AreEqual(1, code);
        Assert.AreEqual(1, error.Trim().Split('\n').Length, error);
        Assert.AreEqual("error: --tune lr: RegressionWithoutOptimizer has no ConfigureOptimizers, so there is no optimizer for the learning-rate finder " +
            "to tune; give one on the command line (for example --optimizer AdamW) and the finder sets its lr.", error.Trim());
    }

    [TestMethod]
    [DataRow(false, DisplayName = "a module whose ConfigureOptimizers reads LearningRate")]
    [DataRow(true, DisplayName = "a module without ConfigureOptimizers or a rate property")]
    public void TheLearningRateFinderCallbackTrainsTheCommandLineOptimizerAtTheSuggestion(bool withoutConfigureOptimizers)
    {
        // The optimizer is built from --optimizer's arguments again after the search; the suggestion must reach it and
        // its StepLR, which halves it after each of the two epochs.
        var recorder = new OptimizerRecorder();
        string[] args = ["fit", "--trainer.max-epochs", "2", "--trainer.callbacks+=LearningRateFinder", "--optimizer", "SGD", "--optimizer.lr", "0.01",
            "--lr-scheduler", "StepLR", "--lr-scheduler.step-size", "1", "--lr-scheduler.gamma", "0.5"];

        var (code, _, error) = withoutConfigureOptimizers
            ? CliHarness.RunWith<RegressionWithoutOptimizer>(CliHarness.Quiet(TempDir.Create(), recorder), args)
            : CliHarness.RunWith(CliHarness.Quiet(TempDir.Create(), recorder), args);

        Assert.AreEqual(0, code, error);
        var suggested = recorder.Callbacks.OfType<LearningRateFinder>().Single().OptimalLr!.Suggestion()!.Value;
        Assert.AreNotEqual(0.01, suggested);
        Assert.AreEqual(suggested, recorder.Lr, "the fit starts at the suggestion");
        Assert.AreEqual(suggested / 4, recorder.LrAtEnd, suggested * 1e-12, "the schedule runs from the suggestion");
    }

    [TestMethod]
    public void TheLearningRateFinderCallbackNamingAMissingPropertyIsOneErrorLine()
    {
        var (code, _, error) = CliHarness.RunWith<RegressionWithoutOptimizer>(CliHarness.Quiet(TempDir.Create()),
            "fit", "--trainer.max-epochs", "1", "--trainer.callbacks+=LearningRateFinder", "--trainer.callbacks.attr-name", "Rate", "--optimizer", "AdamW");

        Assert.AreEqual(1, code);
        Assert.AreEqual("error: Neither RegressionWithoutOptimizer nor the data module has a public settable property named 'Rate' for the learning-rate " +
            "finder to set. Check the name (attrName is the C# property name, e.g. \"LearningRate\"), leave attrName out to set the rate on the fit's " +
            "optimizer alone, or pass updateAttr: false.", error.Trim());
    }

    [TestMethod]
    public void TheBatchSizeFinderCallbackNamingAMissingPropertyIsOneErrorLine()
    {
        var (code, _, error) = CliHarness.RunWith(CliHarness.Quiet(TempDir.Create()),
            "fit", "--trainer.max-epochs", "1", "--trainer.callbacks+=BatchSizeFinder", "--trainer.callbacks.batch-arg-name", "Missing");

        Assert.AreEqual(1, code);
        var lines = error.Trim().Split('\n');
        Assert.AreEqual(1, lines.Length, error);
        StringAssert.StartsWith(lines[0], "error: The batch size finder sets the size on a public settable int property named 'Missing'");
    }

    [TestMethod]
    public void TuneBatchSizeGrowsTheDataModulesBatchSizeToAllTheData()
    {
        var (code, output, error) = CliHarness.RunWith(CliHarness.Quiet(TempDir.Create()), "fit", "--tune", "batch-size", "--trainer.max-epochs", "1", "--data.rows", "48");

        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "Batch size finder: training with batch size 64", "from 2, doubling to 64, the first size that holds all 48 rows in one batch");
    }

    [TestMethod]
    public void TuneBatchSizeSavesTheSizeFoundAndARerunTrainsWithItWithoutSearching()
    {
        var root = TempDir.Create();
        var (code, _, error) = CliHarness.RunWith(CliHarness.Quiet(root), "fit", "--tune", "batch-size", "--trainer.max-epochs", "1", "--data.rows", "64");
        Assert.AreEqual(0, code, error);
        var saved = File.ReadAllText(Path.Combine(root, "lightning_logs", "version_0", "config.yaml"));
        Assert.AreEqual("64", CliHarness.ConfigValue(saved, "data", "batch-size"), "config.yaml holds the batch size the fit used");
        Assert.AreEqual("null", CliHarness.ConfigValue(saved, "", "tune"), "config.yaml asks for no search");
        StringAssert.Contains(saved, "# --tune batch-size ran before this fit and set data.batch-size 8 -> 64; a rerun with this file trains as this run did, without searching.");
        var recorder = new OptimizerRecorder();

        (code, var output, error) = CliHarness.RunWith(CliHarness.Quiet(root, recorder), "fit", "--config", Path.Combine(root, "lightning_logs", "version_0", "config.yaml"));

        Assert.AreEqual(0, code, error);
        Assert.AreEqual(1, recorder.TrainingBatches, "the rerun trains the 64 rows in one batch of 64");
        Assert.IsFalse(output.Contains("Batch size finder", StringComparison.Ordinal), output);
    }

    [TestMethod]
    [DataRow("validate", "lr", "fit")]
    [DataRow("fit", "speed", "lr, batch-size")]
    public void TuneRefusesWhatItCannotDo(string command, string tune, string expected)
    {
        var (code, _, error) = CliHarness.Run(command, "--tune", tune);

        Assert.AreEqual(1, code);
        StringAssert.StartsWith(error, "error: --tune: ");
        StringAssert.Contains(error, expected);
    }
}
