using Lightning.Hooks;
using TorchSharp;

namespace Lightning;

/// <summary>
/// The hooks that open and close every run of <see cref="Trainer"/>'s entry points, in Lightning's order (its
/// <c>trainer/call.py</c>: <c>_call_setup_hook</c>, <c>_call_configure_model</c>, <c>_interrupt</c>,
/// <c>_call_teardown_hook</c>), with the loggers' and metrics' part of each.
/// </summary>
internal static class RunHooks
{
    /// <summary>
    /// After the callbacks are set up: fresh metrics, the loggers, <c>PrepareData</c> and <c>Setup</c>, the model
    /// configured (fitting does it later, after restoring a checkpoint's callback states, as Lightning orders it),
    /// and the hyperparameters logged. A fit resuming from <paramref name="resumeFrom"/> continues the run's version folder.
    /// </summary>
    public static void SetUp(Trainer trainer, Stage stage, LightningModule model, LightningDataModule? dataModule, string? resumeFrom)
    {
        // Each run starts with no metrics: a Test after a Fit shows and returns its own.
        trainer.Logging.ResetMetrics();
        trainer.LoggerLifecycle.SetUp();
        // Once per machine (Lightning's prepare_data_per_node): local rank 0 prepares, the others wait for it.
        if (trainer.LocalRank == 0)
        {
            trainer.Hooks.Run(HookNames.PrepareData, () =>
            {
                dataModule?.PrepareData();
                model.PrepareData();
            });
        }
        trainer.Strategy.Barrier();
        trainer.Hooks.Run(HookNames.Setup, () =>
        {
            dataModule?.Setup(stage);
            if (stage == Stage.Fit) trainer.LoggerLifecycle.ContinueRunOf(resumeFrom);
            trainer.LoggerLifecycle.ShareVersions();
            trainer.Hooks.Call(HookNames.Setup, c => c.Setup(trainer, model, stage), () => model.Setup(stage));
        });
        if (stage != Stage.Fit) ConfigureModel(trainer, model);
        trainer.LoggerLifecycle.LogHyperparameters(model, dataModule);
    }

    /// <summary>Calls <c>ConfigureModel</c>, then puts the module on the device in the precision of the run and lets the strategy set it up.</summary>
    public static void ConfigureModel(Trainer trainer, LightningModule model)
    {
        trainer.Hooks.Run(HookNames.ConfigureModel, model.ConfigureModel);
        model.to(trainer.RootDevice);
        trainer.Precision.ConvertModule(model);
        trainer.Strategy.Setup(model);
    }

    /// <summary>
    /// A run that threw: <c>OnException</c>, the loggers finished as failed, the strategy told. Returns whether a
    /// signal (Ctrl+C, SIGTERM) ended it, after which the process exits; otherwise the caller rethrows.
    /// </summary>
    public static bool Fail(Trainer trainer, LightningModule model, Exception exception, Interruption interruption)
    {
        var signalled = exception is OperationCanceledException && interruption.Signal is not null;
        if (signalled) Output.Info(trainer, Environment.NewLine + interruption.Message);
        trainer.Hooks.Call(HookNames.OnException, c => c.OnException(trainer, model, exception));
        trainer.LoggerLifecycle.Finish("failed");
        trainer.Strategy.OnFailure(exception);
        return signalled;
    }

    /// <summary>The end of every run, also a failed one: <c>Teardown</c>, the profiler's report, the metrics read off the device.</summary>
    public static void TearDown(Trainer trainer, Stage stage, LightningModule model, LightningDataModule? dataModule)
    {
        trainer.State.Stage = RunningStage.None;
        trainer.Hooks.Run(HookNames.Teardown, () =>
        {
            dataModule?.Teardown(stage);
            trainer.Hooks.Call(HookNames.Teardown, c => c.Teardown(trainer, model, stage), () => model.Teardown(stage));
        });
        if (trainer.IsGlobalZero) trainer.Profiler?.Report(trainer.LogDir);
        trainer.Logging.Results = null;
        // Values logged as tensors and never looked at are read now, so no device tensor outlives the run.
        trainer.Logging.ReadAll();
    }
}
