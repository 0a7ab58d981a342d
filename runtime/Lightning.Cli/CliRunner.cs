namespace Lightning.Cli;

/// <summary>Calls the trainer's entry point for a command, with the batch type the module and data module share.</summary>
internal static class CliRunner<TBatch>
{
    public static void Run(CliCommand command, Trainer trainer, LightningModule module, LightningDataModule? dataModule, string? ckptPath, CliTuning tuning, TextWriter output)
    {
        var model = (LightningModule<TBatch>)module;
        var data = (LightningDataModule<TBatch>?)dataModule;
        switch (command)
        {
            case CliCommand.Fit:
                TunedFit(trainer, model, data, ckptPath, tuning, output);
                break;
            case CliCommand.FitAndTest:
                TunedFit(trainer, model, data, ckptPath, tuning, output);
                // Like LightningCLI users' `trainer.test(ckpt_path="best")`: the best checkpoint when one was kept, else the last weights.
                if (model.Overrides(nameof(LightningModule<TBatch>.TestStep)))
                    trainer.Test(model, dataModule: data, ckptPath: trainer.CheckpointCallback is { BestModelPath.Length: > 0 } ? "best" : null);
                break;
            case CliCommand.Validate:
                trainer.Validate(model, dataModule: data, ckptPath: ckptPath);
                break;
            case CliCommand.Test:
                trainer.Test(model, dataModule: data, ckptPath: ckptPath);
                break;
            case CliCommand.Predict:
                var predictions = trainer.Predict(model, dataModule: data, ckptPath: ckptPath);
                try
                {
                    // Each process of a data-parallel job predicts its share of the data: each writes its own file.
                    var path = Path.Combine(trainer.LogDir, trainer.IsGlobalZero ? PredictionsFile.FileName : $"predictions.rank{trainer.GlobalRank}.csv");
                    var rows = PredictionsFile.Write(path, predictions);
                    output.WriteLine($"Predicted {predictions.Count} batch(es), {rows} row(s), written to {path}");
                }
                finally
                {
                    foreach (var prediction in predictions) prediction.Dispose();
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command, null);
        }
    }

    // The searches run before the fit; the curve is written once the fit has made its log folder.
    private static void TunedFit(Trainer trainer, LightningModule<TBatch> model, LightningDataModule<TBatch>? data, string? ckptPath,
        CliTuning tuning, TextWriter output)
    {
        var finder = tuning.Run(trainer, model, data, output);
        trainer.Fit(model, dataModule: data, ckptPath: ckptPath);
        if (finder is not null && trainer.IsGlobalZero) CliTuning.Report(finder, trainer, output);
    }
}
