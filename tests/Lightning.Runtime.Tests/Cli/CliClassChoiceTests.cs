using Lightning.Tests.Support;
using TorchSharp.Modules;

namespace Lightning.Tests.Cli;

/// <summary>The optimizer and learning-rate scheduler chosen on the command line or in a config file, in LightningCLI's class_path/init_args form.</summary>
[TestClass]
public sealed class CliClassChoiceTests
{
    [TestMethod]
    public void TheCommandLineOptimizerReplacesConfigureOptimizersWithItsArguments()
    {
        var (optimizer, lr) = FitWith("--optimizer", "AdamW", "--optimizer.lr", "0.025", "--optimizer.weight_decay=0.1");

        Assert.AreEqual(typeof(Optimizers.AdamW), optimizer);
        Assert.AreEqual(0.025, lr, 1e-12);
    }

    [TestMethod]
    public void TorchSharpsOptimizersAreKnownByName()
    {
        var (optimizer, lr) = FitWith("--optimizer=RMSprop", "--optimizer.lr", "0.003");

        Assert.AreEqual(typeof(RMSProp), optimizer);
        Assert.AreEqual(0.003, lr, 1e-12);
    }

    [TestMethod]
    public void WithoutOptimizerTheModulesOwnIsUsed()
    {
        var (optimizer, lr) = FitWith();

        Assert.AreEqual(typeof(SGD), optimizer);
        Assert.AreEqual(new TinyRegression().LearningRate, lr, 1e-12);
    }

    [TestMethod]
    public void AConfigFileChoosesTheOptimizerAndPrintConfigWritesItBack()
    {
        var config = Path.Combine(TempDir.Create(), "config.yaml");
        File.WriteAllText(config, "optimizer:\n  class_path: Lightning.Optimizers.Adam\n  init_args:\n    lr: 0.0125\n    beta2: 0.99\n");

        var (optimizer, lr) = FitWith("--config", config);
        var printed = CliHarness.Run("fit", "--config", config, "--optimizer.lr", "0.5", "--print-config");
        var reprinted = Path.Combine(TempDir.Create(), "printed.yaml");
        File.WriteAllText(reprinted, printed.Output);
        var (readBack, readBackLr) = FitWith("--config", reprinted);

        Assert.AreEqual(typeof(Optimizers.Adam), optimizer);
        Assert.AreEqual(0.0125, lr, 1e-12);
        Assert.AreEqual(0, printed.ExitCode, printed.Error);
        StringAssert.Contains(printed.Output, "optimizer:\n  class_path: Lightning.Optimizers.Adam\n  init_args:\n    lr: 0.5\n    beta2: 0.99\n");
        Assert.AreEqual(typeof(Optimizers.Adam), readBack);
        Assert.AreEqual(0.5, readBackLr, 1e-12);
    }

    [TestMethod]
    public void AJsonConfigFileTakesTheSameForm()
    {
        var config = Path.Combine(TempDir.Create(), "config.json");
        File.WriteAllText(config, """
            {"optimizer": {"class_path": "SGD", "init_args": {"lr": 0.2, "momentum": 0.9}},
             "trainer": {"max_epochs": 1, "callbacks": [{"class_path": "EarlyStopping", "init_args": {"monitor": "val_loss", "patience": 4, "strict": false}}]}}
            """);

        var recorder = FitRecording("--config", config);

        Assert.AreEqual(typeof(Optimizers.SGD), recorder.Optimizer);
        Assert.AreEqual(0.2, recorder.Lr, 1e-12);
        Assert.AreEqual(4, recorder.Callbacks.OfType<EarlyStopping>().Single().Patience);
    }

    [TestMethod]
    public void TheSchedulerIsBuiltOverTheChosenOptimizerWithItsStepSize()
    {
        // Two epochs; StepLR with step_size 2 decays once (step_size 1 would decay twice).
        var recorder = FitRecording("--trainer.max-epochs", "2", "--optimizer", "SGD", "--optimizer.lr", "0.1",
            "--lr-scheduler", "StepLR", "--lr_scheduler.step_size", "2", "--lr-scheduler.gamma=0.5");

        Assert.AreEqual(0.1, recorder.Lr, 1e-12);
        Assert.AreEqual(0.05, recorder.LrAtEnd, 1e-12);
    }

    [TestMethod]
    public void ReduceLROnPlateauInAConfigFileWatchesItsMonitor()
    {
        var config = Path.Combine(TempDir.Create(), "config.yaml");
        File.WriteAllText(config, "optimizer: Adam\nlr_scheduler:\n  class_path: ReduceLROnPlateau\n  init_args:\n    monitor: val_loss\n    patience: 3\n");

        // TinyRegression logs no val_loss: the scheduler, given the monitor, asks for it at the first epoch's end, and
        // the run ends in one error line that names the metric and the fix, not a stack trace.
        var (code, _, error) = CliHarness.RunWith(Quiet(), "fit", "--trainer.max-epochs", "1", "--config", config);
        var printed = CliHarness.Run("fit", "--config", config, "--print-config");

        Assert.AreEqual(1, code);
        Assert.AreEqual("error: the learning-rate scheduler monitors 'val_loss', which the module never logged (logged: none); " +
            "give --lr-scheduler.monitor one of the logged metrics, or log 'val_loss' in the module (Log(\"val_loss\", ...)).", error.Trim());
        StringAssert.Contains(printed.Output, "lr_scheduler:\n  class_path: ReduceLROnPlateau\n  init_args:\n    monitor: val_loss\n    patience: 3\n");
    }

    [TestMethod]
    public void AnEarlyStoppingMonitorThatWasNeverLoggedIsOneErrorLine()
    {
        // Strict by default: the callback stops the run at the first validation end, and the command line says so in
        // the callback's own words instead of a stack trace.
        var (code, _, error) = CliHarness.RunWith(Quiet(), "fit", "--trainer.max-epochs", "1",
            "--trainer.callbacks+=EarlyStopping", "--trainer.callbacks.monitor", "nosuch");

        Assert.AreEqual(1, code);
        Assert.AreEqual("error: EarlyStopping(monitor: \"nosuch\") found no metric 'nosuch'. Logged metrics: none. " +
            "Log it in the module, for example Log(\"nosuch\", loss) in ValidationStep, or change the monitor.", error.Trim());
    }

    [TestMethod]
    public void TheCommandLineOptimizerServesAModuleWithoutConfigureOptimizers()
    {
        var recorder = new OptimizerRecorder();

        var (code, _, error) = CliHarness.RunWith<RegressionWithoutOptimizer>(Quiet(recorder),
            "fit", "--trainer.max-epochs", "1", "--optimizer", "SGD", "--optimizer.lr", "0.125");

        Assert.AreEqual(0, code, error);
        Assert.AreEqual(typeof(Optimizers.SGD), recorder.Optimizer);
        Assert.AreEqual(0.125, recorder.Lr, 1e-12);
    }

    [TestMethod]
    public void HelpListsTheOptionsChosenByClassWithTheirMeaning()
    {
        var (code, output, error) = CliHarness.Run("fit", "--help");

        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "--optimizer <class>");
        StringAssert.Contains(output, "replaces what ConfigureOptimizers returns");
        StringAssert.Contains(output, "--lr-scheduler <class>");
        StringAssert.Contains(output, "ReduceLROnPlateau needs one");
        StringAssert.Contains(output, "--trainer.callbacks <class>");
        StringAssert.Contains(output, "--trainer.callbacks+=EarlyStopping adds one");
        StringAssert.Contains(output, "--trainer.logger <class>");
        StringAssert.Contains(output, "TensorBoardLogger");
    }

    [TestMethod]
    public void CallbacksAreAddedOnTheCommandLineWithTheirArguments()
    {
        var recorder = FitRecording("--trainer.max-epochs", "1", "--trainer.callbacks+=EarlyStopping", "--trainer.callbacks.monitor", "val_loss",
            "--trainer.callbacks.patience", "5", "--trainer.callbacks.strict=false", "--trainer.callbacks+", "Timer", "--trainer.callbacks.duration", "00:01:00:00");

        var early = recorder.Callbacks.OfType<EarlyStopping>().Single();
        Assert.AreEqual("val_loss", early.Monitor);
        Assert.AreEqual(5, early.Patience);
        Assert.IsFalse(early.Strict);
        Assert.AreEqual(1, recorder.Callbacks.OfType<Timer>().Count());
        Assert.AreEqual(1, recorder.Callbacks.OfType<OptimizerRecorder>().Count(), "the TrainerDefaults' callbacks stay");
    }

    [TestMethod]
    public void ACallbacksListInAConfigFileIsBuiltAndPrintConfigWritesItBack()
    {
        var config = Path.Combine(TempDir.Create(), "config.yaml");
        File.WriteAllText(config, "trainer:\n  max_epochs: 1\n  callbacks:\n  - class_path: EarlyStopping\n    init_args:\n      monitor: val_loss\n      patience: 7\n" +
            "      strict: false\n");

        var recorder = FitRecording("--config", config);
        var printed = CliHarness.Run("fit", "--config", config, "--trainer.callbacks+=Timer", "--print-config");
        var reprinted = Path.Combine(TempDir.Create(), "printed.yaml");
        File.WriteAllText(reprinted, printed.Output);
        var readBack = FitRecording("--config", reprinted);

        Assert.AreEqual(7, recorder.Callbacks.OfType<EarlyStopping>().Single().Patience);
        StringAssert.Contains(printed.Output, "  callbacks:\n  - class_path: EarlyStopping\n    init_args:\n      monitor: val_loss\n      patience: 7\n      strict: false\n  - class_path: Timer\n");
        Assert.AreEqual(7, readBack.Callbacks.OfType<EarlyStopping>().Single().Patience);
        Assert.AreEqual(1, readBack.Callbacks.OfType<Timer>().Count());
    }

    [TestMethod]
    public void AnEmptyCallbacksListInALaterConfigFileEmptiesTheList()
    {
        var dir = TempDir.Create();
        var first = Path.Combine(dir, "first.yaml");
        File.WriteAllText(first, "trainer:\n  callbacks:\n  - class_path: Timer\n");
        var second = Path.Combine(dir, "second.yaml");
        File.WriteAllText(second, "trainer:\n  callbacks: []\n");

        var recorder = FitRecording("--config", first, "--config", second);

        Assert.AreEqual(0, recorder.Callbacks.OfType<Timer>().Count());
    }

    [TestMethod]
    [DataRow(new[] { "--optimizer", "AdamX" }, "--optimizer: 'AdamX' is not a known optimizer; did you mean Adam")]
    [DataRow(new[] { "--optimizer", "AdamW", "--optimizer.learning-rate", "1" }, "--optimizer.learning-rate: AdamW has no such argument")]
    [DataRow(new[] { "--optimizer", "AdamW", "--optimizer.lr", "fast" }, "--optimizer.lr: 'fast' is not a number.")]
    [DataRow(new[] { "--optimizer.lr", "1" }, "--optimizer.lr: give the optimizer's class first")]
    [DataRow(new[] { "--optimizer", "SGD" }, "--optimizer SGD needs --optimizer.lr.")]
    [DataRow(new[] { "--optimizer", "Adam", "--lr-scheduler", "StepLR" }, "--lr-scheduler StepLR needs --lr-scheduler.step-size.")]
    [DataRow(new[] { "--optimizer", "Adam", "--lr-scheduler", "StepLR", "--lr-scheduler.step", "2" }, "--lr-scheduler.step: StepLR has no such argument; did you mean --lr-scheduler.step-size?")]
    [DataRow(new[] { "--optimizer", "Adam", "--lr-scheduler", "ReduceLROnPlateau" }, "--lr-scheduler ReduceLROnPlateau needs the metric it watches: --lr-scheduler.monitor")]
    [DataRow(new[] { "--lr-scheduler", "StepLR", "--lr-scheduler.step-size", "2" }, "--lr-scheduler StepLR drives the optimizer the CLI builds: give --optimizer too")]
    [DataRow(new[] { "--trainer.callbacks+=EarlyStop" }, "--trainer.callbacks: 'EarlyStop' is not a known callback; did you mean EarlyStopping?")]
    [DataRow(new[] { "--trainer.callbacks+=EarlyStopping" }, "--trainer.callbacks EarlyStopping needs --trainer.callbacks.monitor.")]
    [DataRow(new[] { "--trainer.callbacks.monitor", "val_loss" }, "--trainer.callbacks.monitor: give the callback first")]
    [DataRow(new[] { "--trainer.callbacks+=EarlyStopping", "--trainer.callbacks.monitr", "x" }, "--trainer.callbacks.monitr: EarlyStopping has no such argument; did you mean --trainer.callbacks.monitor?")]
    [DataRow(new[] { "--lr-scheduler", "StepLRR" }, "--lr-scheduler: 'StepLRR' is not a known learning-rate scheduler; did you mean StepLR?")]
    [DataRow(new[] { "--trainer.logger", "CsvLoger" }, "--trainer.logger: 'CsvLoger' is not a known logger; did you mean CsvLogger?")]
    [DataRow(new[] { "--trainer.logger.name", "x" }, "--trainer.logger.name: give the logger first, for example --trainer.logger ")]
    [DataRow(new[] { "--trainer.logger", "CsvLogger", "--trainer.logger.nme", "x" }, "--trainer.logger.nme: CsvLogger has no such argument; did you mean --trainer.logger.name?")]
    public void BadOptimizerSettingsEndInOneErrorLine(string[] args, string expected)
    {
        var (code, _, error) = CliHarness.Run(["fit", .. args, "--print-config"]);

        Assert.AreEqual(1, code);
        StringAssert.StartsWith(error, "error: " + expected);
        Assert.AreEqual(1, error.Trim().Split('\n').Length, error);
    }

    private static (Type Optimizer, double Lr) FitWith(params string[] args)
    {
        var recorder = FitRecording(["--trainer.max-epochs", "1", .. args]);
        return (recorder.Optimizer!, recorder.Lr);
    }

    private static OptimizerRecorder FitRecording(params string[] args)
    {
        var recorder = new OptimizerRecorder();
        var (code, _, error) = CliHarness.RunWith(Quiet(recorder), ["fit", .. args]);
        Assert.AreEqual(0, code, error);
        return recorder;
    }

    private static TrainerOptions Quiet(params Callback[] callbacks) => new()
    {
        EnableProgressBar = false, EnableModelSummary = false, Logger = false, EnableCheckpointing = false,
        DefaultRootDir = TempDir.Create(), Callbacks = [.. callbacks],
    };
}
