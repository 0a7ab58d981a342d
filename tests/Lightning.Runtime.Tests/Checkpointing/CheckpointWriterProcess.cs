using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>
/// The child process of <see cref="KillDuringSaveTests"/>: fits a module with a large buffer, saves a checkpoint,
/// trains on, and when told to on standard input saves again to the same path, which takes long enough to be
/// killed in the middle. It reports each step on standard output.
/// </summary>
internal static class CheckpointWriterProcess
{
    /// <summary>A <see cref="TinyModel"/> carrying 64 MB of random numbers, which take a while to compress and write.</summary>
    public sealed class BigModel : TinyModel
    {
        public BigModel() => register_buffer("big", randn(16 * 1024 * 1024));
    }

    public const string CheckpointName = "model.ckpt";

    public static int Run(string folder)
    {
        var path = Path.Combine(folder, CheckpointName);
        var trainer = new Trainer(Quiet.Options(1));
        using var model = new BigModel();
        trainer.Fit(model, RandomData.Batches(3));
        trainer.SaveCheckpoint(path);
        Console.WriteLine($"saved {trainer.GlobalStep}");

        var more = new Trainer(Quiet.Options(2));
        more.Fit(model, RandomData.Batches(3), ckptPath: path);
        if (Console.ReadLine() != "save again") return 1;
        Console.WriteLine($"saving {more.GlobalStep}");
        more.SaveCheckpoint(path);
        Console.WriteLine("saved again");
        return 0;
    }
}
