using Lightning;

namespace Flowers;

internal static class Program
{
    // `dotnet run` trains, validating after every epoch, then tests the model. Change any setting on the
    // command line (`dotnet run -- fit --trainer.max-epochs 50 --model.hidden-size 128`); list them with `dotnet run -- --help`.
    // The data module's InputSize and NumClasses become the model's inputSize and numClasses unless given.
    // last.ckpt is kept, so a stopped run goes on with `dotnet run -- fit --ckpt-path last`.
    private static int Main(string[] args) =>
        LightningCli.Run<Classifier, CsvDataModule>(args, new LightningCliSettings
        {
            Seed = 42,
            TrainerDefaults = new TrainerOptions
            {
                MaxEpochs = 40,
                Callbacks =
                [
                    new ModelCheckpoint(monitor: "val_loss", mode: MonitorMode.Min, saveLast: true),
                    new EarlyStopping(monitor: "val_loss", patience: 5),
                ],
            },
        });
}
