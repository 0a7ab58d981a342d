using System.Diagnostics;
using Lightning.Checkpointing;
using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>A process killed (SIGKILL) while it writes a checkpoint leaves the previous checkpoint intact and loadable.</summary>
[TestClass]
public sealed class KillDuringSaveTests
{
    [TestMethod]
    public void KillingTheProcessDuringASaveKeepsThePreviousCheckpoint()
    {
        var folder = TempDir.Create();
        var path = Path.Combine(folder, CheckpointWriterProcess.CheckpointName);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "exec", typeof(Program).Assembly.Location, "checkpoint-writer", folder }) start.ArgumentList.Add(argument);
        using var child = Process.Start(start)!;
        var errors = child.StandardError.ReadToEndAsync();
        try
        {
            Assert.AreEqual("saved 3", child.StandardOutput.ReadLine(), $"the child's first save; its errors: {Errors(child, errors)}");

            // Watch for the temporary file of the second save, then let the child start it and kill it as soon as the file exists.
            using var writing = new ManualResetEventSlim();
            using var watcher = new FileSystemWatcher(folder, "*.tmp") { EnableRaisingEvents = true };
            watcher.Created += (_, _) => writing.Set();
            child.StandardInput.WriteLine("save again");
            child.StandardInput.Flush();
            Assert.AreEqual("saving 6", child.StandardOutput.ReadLine(), $"the child's errors: {Errors(child, errors)}");
            Assert.IsTrue(writing.Wait(TimeSpan.FromMinutes(2)), "the second save never created its temporary file");
            child.Kill();
            child.WaitForExit();
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
        }

        Assert.AreEqual(1, Directory.GetFiles(folder, "*.tmp").Length, "the kill came during the write, whose temporary file remains");
        using var scope = NewDisposeScope();
        var checkpoint = CheckpointFile.Read(path);
        Assert.AreEqual(3L, checkpoint["global_step"], "the checkpoint at the path is still the first one");
        using var model = LightningModule.LoadFromCheckpoint<CheckpointWriterProcess.BigModel>(path);
        var trainer = new Trainer(Quiet.Options(2));
        trainer.Fit(model, RandomData.Batches(3), ckptPath: path);
        Assert.AreEqual(6, trainer.GlobalStep, "fitting resumes from it");
        trainer.SaveCheckpoint(path);
        Assert.AreEqual(0, Directory.GetFiles(folder, "*.tmp").Length, "the next run writing into the folder removes the killed write's temporary file");
    }

    private static string Errors(Process child, Task<string> errors) => child.HasExited ? errors.Result : "(still running)";
}
