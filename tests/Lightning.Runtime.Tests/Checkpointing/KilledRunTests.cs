using System.Diagnostics;
using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>
/// A run killed between saving its top checkpoint and <c>last.ckpt</c>, then resumed with <c>ckptPath: "last"</c>,
/// ends with the same checkpoint folder, best checkpoint and <c>metrics.csv</c> as a run never stopped.
/// </summary>
[TestClass]
public sealed class KilledRunTests
{
    [TestMethod]
    public void AResumedRunCarriesOnInItsVersionFolderAsIfNeverStopped()
    {
        var straightRoot = TempDir.Create();
        var straight = new Trainer(KilledRunProcess.Options(straightRoot));
        KilledRunProcess.Fit(straight);

        var root = TempDir.Create();
        // Each epoch's end saves the top checkpoint, then last.ckpt: the sixth save is epoch 2's last.ckpt.
        RunKilled(root, killAtSave: 6);
        var version = Path.Combine(root, "lightning_logs", "version_0");
        var checkpoints = Path.Combine(version, "checkpoints");
        CollectionAssert.AreEquivalent(new[] { "epoch=2-step=9.ckpt", "last.ckpt" }, Names(checkpoints), "the kill came after the top save, before last.ckpt");
        CollectionAssert.AreEqual(new[] { "3", "6", "9" }, ValidationSteps(Path.Combine(version, "metrics.csv")),
            "each checkpoint save wrote the rows logged until then");

        var resumed = new Trainer(KilledRunProcess.Options(root));
        KilledRunProcess.Fit(resumed, "last");

        Assert.AreEqual(version, resumed.LogDir, "the resumed run continues its version folder");
        Assert.IsFalse(Directory.Exists(Path.Combine(root, "lightning_logs", "version_1")), "no new version");
        CollectionAssert.AreEquivalent(Names(Path.Combine(straight.LogDir, "checkpoints")), Names(checkpoints), "no checkpoint left behind");
        Assert.AreEqual(Path.GetFileName(straight.CheckpointCallback!.BestModelPath), Path.GetFileName(resumed.CheckpointCallback!.BestModelPath));
        Assert.AreEqual(straight.CheckpointCallback.BestModelScore, resumed.CheckpointCallback.BestModelScore);
        CollectionAssert.AreEqual(File.ReadAllLines(Path.Combine(straight.LogDir, "metrics.csv")), File.ReadAllLines(Path.Combine(version, "metrics.csv")),
            "the metrics go on in the same file, each row once");
        Assert.AreEqual(0, Directory.GetFiles(root, "*.tmp", SearchOption.AllDirectories).Length);
    }

    private static List<string> ValidationSteps(string metricsFile)
    {
        var lines = File.ReadAllLines(metricsFile);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))
            .Where(row => row["val_loss"] != "").Select(row => row["step"]).ToList();
    }

    private static string[] Names(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).ToArray()!;

    private static void RunKilled(string root, int killAtSave)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "exec", typeof(Program).Assembly.Location, "killed-run", root, killAtSave.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEnd();
        child.WaitForExit();
        Assert.AreEqual(OperatingSystem.IsWindows() ? -1 : 137, child.ExitCode, $"the child killed itself; its output: {output.Result} {errors}");
    }
}
