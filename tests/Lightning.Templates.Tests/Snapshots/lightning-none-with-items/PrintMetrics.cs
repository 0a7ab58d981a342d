using System.Globalization;
using Lightning;

namespace Acme.Vision;

/// <summary>A Callback: behaviour added to training without touching the model. This one prints each epoch's metrics.</summary>
public sealed class PrintMetrics : Callback
{
    public override void OnTrainEpochEnd(Trainer trainer, LightningModule module)
    {
        var metrics = trainer.CallbackMetrics.OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key}={m.Value:0.####}"));
        Console.WriteLine($"epoch {trainer.CurrentEpoch}: {string.Join(", ", metrics)}");
    }
}
