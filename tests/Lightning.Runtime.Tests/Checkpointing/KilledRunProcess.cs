using System.Diagnostics;
using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>
/// The child process of <see cref="KilledRunTests"/>: fits <see cref="Epochs"/> epochs with the CSV logger and a
/// <see cref="ModelCheckpoint"/> keeping the top checkpoint and <c>last.ckpt</c>, and kills itself (SIGKILL, no
/// clean-up of any kind) as a chosen checkpoint save begins.
/// </summary>
internal static class KilledRunProcess
{
    public const int Epochs = 4;

    /// <summary>The options and callbacks of every fit of the test, killed, resumed or straight, in <paramref name="root"/>.</summary>
    public static TrainerOptions Options(string root)
    {
        var options = Quiet.Options(Epochs);
        options.DefaultRootDir = root;
        options.Logger = true;
        options.LogEveryNSteps = 1;
        options.Deterministic = true;
        options.EnableCheckpointing = true;
        // A monitor that improves at every save point: each save writes a new top checkpoint and deletes the previous one.
        options.Callbacks.Add(new ModelCheckpoint(monitor: "step", mode: MonitorMode.Max, saveTopK: 1, saveLast: true));
        return options;
    }

    /// <summary>The module and data every fit uses.</summary>
    public static void Fit(Trainer trainer, string? ckptPath = null)
    {
        Trainer.SeedEverything(3);
        using var model = new TinyModel();
        trainer.Fit(model, RandomData.Batches(3), RandomData.Batches(2, seed: 1), ckptPath: ckptPath);
    }

    public static int Run(string root, int killAtSave)
    {
        var options = Options(root);
        options.Callbacks.Add(new KillAtSave(killAtSave));
        Fit(new Trainer(options));
        return 1;
    }

    private sealed class KillAtSave(int save) : Callback
    {
        private int _saves;

        public override void OnSaveCheckpoint(Trainer trainer, LightningModule module, IDictionary<string, object?> checkpoint)
        {
            if (++_saves == save) Process.GetCurrentProcess().Kill();
        }
    }
}
