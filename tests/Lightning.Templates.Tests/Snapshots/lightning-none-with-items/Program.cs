using Lightning;

namespace Acme.Vision;

internal static class Program
{
    // `dotnet run` fits for one epoch, then tests. Try `dotnet run -- fit --trainer.max-epochs 3`,
    // `dotnet run -- test --ckpt-path best` and `dotnet run -- --help`.
    // Curves at a glance: `dotnet lightning plot` draws lightning_logs' newest metrics.csv to metrics.png.
    private static int Main(string[] args) =>
        LightningCli.Run<Vision>(args, new LightningCliSettings
        {
            TrainerDefaults = new TrainerOptions { MaxEpochs = 1 },
        });
}
