using System.Diagnostics;
using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>
/// A run ended from outside shuts down as Lightning's does: by the caller's cancellation token, or by Ctrl+C (SIGINT),
/// after which the process exits with 130.
/// </summary>
[TestClass]
public sealed class InterruptionTests
{
    [TestMethod]
    public void ACancelledTokenEndsTheFitAtTheNextBatchAndOnExceptionCheckpointSaves()
    {
        var root = TempDir.Create();
        using var cancellation = new CancellationTokenSource();
        var exceptions = new List<Exception>();
        var options = Quiet.Options(maxEpochs: -1);
        options.Callbacks.Add(new OnExceptionCheckpoint(root));
        options.Callbacks.Add(new LambdaCallback(
            onTrainBatchEnd: (trainer, _, _, _, _) =>
            {
                if (trainer.GlobalStep == 2) cancellation.Cancel();
            },
            onException: (_, _, exception) => exceptions.Add(exception)));
        using var model = new TinyModel();
        var trainer = new Trainer(options);
        Assert.Throws<OperationCanceledException>(() => trainer.Fit(model, RandomData.Batches(4), cancellationToken: cancellation.Token));
        Assert.AreEqual(2, trainer.GlobalStep, "no batch started after the cancellation");
        Assert.AreEqual(TrainerStatus.Interrupted, trainer.State.Status);
        Assert.HasCount(1, exceptions, "OnException ran");
        Assert.IsTrue(File.Exists(Path.Combine(root, "on_exception.ckpt")), "OnExceptionCheckpoint saved");
    }

    [TestMethod]
    public void CtrlCShutsDownGracefullyAndExitsWith130()
    {
        var root = TempDir.Create();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "exec", typeof(Program).Assembly.Location, "interrupted-fit", root }) start.ArgumentList.Add(argument);
        using var child = Process.Start(start)!;
        var errors = child.StandardError.ReadToEndAsync();
        try
        {
            Assert.AreEqual("training", child.StandardOutput.ReadLine(), "the child started training");
            Assert.AreEqual(0, global::Lightning.Native.LibC.Kill(child.Id, 2), "SIGINT was sent");
            Assert.IsTrue(child.WaitForExit(TimeSpan.FromMinutes(2)), "the child ended after Ctrl+C");
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
        }
        var said = errors.Result;
        Assert.AreEqual(130, child.ExitCode, said);
        StringAssert.Contains(said, "Detected KeyboardInterrupt, attempting graceful shutdown ...");
        Assert.IsTrue(File.Exists(Path.Combine(root, "on_exception.ckpt")), "OnExceptionCheckpoint saved: " + said);
        var metrics = Path.Combine(root, "lightning_logs", "version_0", "metrics.csv");
        Assert.IsTrue(File.Exists(metrics) && File.ReadAllLines(metrics).Length > 1,
            "the logger was finished and wrote its rows: " + string.Join(", ", Directory.GetFiles(root, "*", SearchOption.AllDirectories)));
    }
}
