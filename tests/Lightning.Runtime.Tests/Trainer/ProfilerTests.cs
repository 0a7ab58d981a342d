using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>The profilers' reports list every hook that ran, as often as it ran, in the log folder.</summary>
[TestClass]
public sealed class ProfilerTests
{
    private static (List<string> Called, Trainer Trainer) Fit(string profiler)
    {
        var called = new List<string>();
        var options = Quiet.Options(maxEpochs: 2);
        options.EnableCheckpointing = true;
        options.Profiler = profiler;
        options.Callbacks.Add(new HookedCallback(called));
        var trainer = new Trainer(options);
        using var model = new HookedModel(called);
        trainer.Fit(model);
        return (called, trainer);
    }

    /// <summary>The report's rows: action, then its cells.</summary>
    private static Dictionary<string, string[]> Rows(string report) =>
        report.Split('\n').Where(l => l.StartsWith('|')).Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1])
            .Skip(1).ToDictionary(cells => cells[0], cells => cells);

    // The callback's record of the hooks it got, by name (Setup(Fit) is Setup), with how often each ran.
    private static Dictionary<string, int> CallbackHooks(List<string> called) =>
        called.Where(c => c.StartsWith("Callback.", StringComparison.Ordinal)).Select(c => c["Callback.".Length..].Split('(')[0])
            .Where(h => h is not "StateDict" and not "LoadStateDict").GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count());

    [TestMethod]
    public void TheSimpleProfilersTableListsEveryHookThatRanWithItsCalls()
    {
        var (called, trainer) = Fit("simple");

        var path = Path.Combine(trainer.LogDir, "fit-profile.txt");
        Assert.IsTrue(File.Exists(path), $"the report is written to {path}");
        var report = File.ReadAllText(path);
        StringAssert.StartsWith(report, "FIT Profiler Report");
        var rows = Rows(report);
        CollectionAssert.AreEqual(new[] { "Action", "Mean duration (s)", "Num calls", "Total time (s)", "Percentage %" }, report.Split('\n')
            .First(l => l.StartsWith('|')).Split('|', StringSplitOptions.TrimEntries)[1..^1]);
        var hooks = CallbackHooks(called);
        Assert.IsTrue(hooks.Count > 20, string.Join(", ", hooks.Keys));
        foreach (var (hook, calls) in hooks)
        {
            Assert.IsTrue(rows.ContainsKey(hook), $"{hook} ran but is not in the table:\n{report}");
            Assert.AreEqual(calls.ToString(), rows[hook][2], $"calls of {hook}");
        }
        foreach (var moduleHook in new[] { "TrainingStep", "ValidationStep", "Backward", "OptimizerStep", "ConfigureOptimizers" })
            Assert.AreEqual(called.Count(c => c == moduleHook).ToString(), rows[moduleHook][2], moduleHook);
        Assert.AreEqual(rows.Where(r => r.Key != "Total").Sum(r => int.Parse(r.Value[2])).ToString(), rows["Total"][2]);
        Assert.IsInstanceOfType<SimpleProfiler>(trainer.Profiler);
    }

    [TestMethod]
    public void TheAdvancedProfilerAddsEachHooksSpreadAndAllocations()
    {
        var (called, trainer) = Fit("advanced");

        var report = File.ReadAllText(Path.Combine(trainer.LogDir, "fit-profile.txt"));
        var rows = Rows(report);
        foreach (var (hook, calls) in CallbackHooks(called)) Assert.AreEqual(calls.ToString(), rows[hook][5], $"calls of {hook}");
        var step = rows["TrainingStep"].Skip(1).Take(4).Select(double.Parse).ToArray();
        Assert.IsTrue(step[2] <= step[1] && step[1] <= step[3] && step[2] <= step[0] && step[0] <= step[3], "min <= median, mean <= max: " + string.Join(", ", step));
        Assert.IsTrue(double.Parse(rows["TrainingStep"][8]) > 0, "a training step allocates on the managed heap");
        StringAssert.Contains(report, "Garbage collections during fit: gen0: ");
    }

    private sealed class ModelTimingItsForward : TinyModel
    {
        public override StepOutput? TrainingStep((TorchSharp.torch.Tensor X, TorchSharp.torch.Tensor Y) batch, int batchIdx)
        {
            using (Trainer!.Profiler!.Profile("my_forward")) _ = forward(batch.X);
            return base.TrainingStep(batch, batchIdx);
        }
    }

    [TestMethod]
    public void CodeTimedInAHookIsARowOfItsOwnAndTheHookStaysOneCall()
    {
        var options = Quiet.Options(maxEpochs: 1);
        options.Profiler = "simple";
        var trainer = new Trainer(options);
        using var model = new ModelTimingItsForward();
        trainer.Fit(model, RandomData.Batches(5, features: 8, classes: 2));

        var rows = Rows(File.ReadAllText(Path.Combine(trainer.LogDir, "fit-profile.txt")));
        Assert.AreEqual("5", rows["my_forward"][2]);
        Assert.AreEqual("5", rows["TrainingStep"][2], "the step goes on after the timed code as the same call");
    }

    [TestMethod]
    public void AnUnknownProfilerIsRefusedWhenTheTrainerIsMade()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Trainer(new TrainerOptions { Profiler = "pytorch" }));
        StringAssert.Contains(error.Message, "TrainerOptions.Profiler must be one of simple, advanced");
    }
}
