using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>EMAWeightAveraging against a hand computation, with validation, checkpoints and resume.</summary>
[TestClass]
public sealed class WeightAveragingTests
{
    /// <summary>Records the weights each validation step runs with.</summary>
    private sealed class ValidationRecorder : TinyModel
    {
        public List<List<Tensor>> ValidationWeights { get; } = [];

        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            ValidationWeights.Add(Kept(this));
            return base.ValidationStep(batch, batchIdx);
        }
    }

    // The weights after each optimizer step, recorded by a callback that runs after the averaging one.
    private static LambdaCallback Recorder(List<List<Tensor>> steps, List<List<Tensor>>? epochStarts = null) => new(
        onTrainBatchEnd: (_, module, _, _, _) => steps.Add(Kept((TinyModel)module)),
        onTrainEpochStart: (_, module) => epochStarts?.Add(Kept((TinyModel)module)));

    // Hooks run inside the step's dispose scope; the copies outlive it.
    private static List<Tensor> Kept(TinyModel model) => model.Snapshot().Select(t => t.DetachFromDisposeScope()).ToList();

    // The hand computation: the first update copies, each later one keeps decay of the average.
    private static List<Tensor> Ema(IEnumerable<List<Tensor>> steps, double decay)
    {
        List<Tensor>? average = null;
        foreach (var step in steps)
            average = average is null ? step.Select(t => t.clone()).ToList() : average.Zip(step, (a, w) => decay * a + (1 - decay) * w).ToList();
        return average!;
    }

    private static void AssertClose(IReadOnlyList<Tensor> expected, IReadOnlyList<Tensor> actual, string message)
    {
        Assert.AreEqual(expected.Count, actual.Count, message);
        for (var i = 0; i < expected.Count; i++) Assert.IsTrue(expected[i].allclose(actual[i], 1e-6, 1e-7), $"{message}: tensor {i} differs");
    }

    [TestMethod]
    public void TheModuleEndsWithTheHandComputedAverageOfEveryStep()
    {
        var steps = new List<List<Tensor>>();
        var options = Quiet.Options(2);
        options.Callbacks.Add(new EMAWeightAveraging(decay: 0.5));
        options.Callbacks.Add(Recorder(steps));
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(3));
        Assert.AreEqual(6, steps.Count);
        Assert.IsFalse(steps[^1][0].allclose(steps[^2][0]), "the weights moved, so the average differs from the last step");
        AssertClose(Ema(steps, 0.5), model.Snapshot(), "the module holds the average after fitting");
    }

    [TestMethod]
    public void UpdatesFollowTheStepIntervalAndStart()
    {
        var steps = new List<List<Tensor>>();
        var options = Quiet.Options(1);
        var ema = new EMAWeightAveraging(decay: 0.8, updateEveryNSteps: 2, updateStartingAtStep: 1);
        options.Callbacks.Add(ema);
        options.Callbacks.Add(Recorder(steps));
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(6));
        Assert.AreEqual(2, ema.NumAveraged, "steps 2 and 4 (0-based): even and from step 1 on");
        AssertClose(Ema([steps[2], steps[4]], 0.8), model.Snapshot(), "the average of the updated steps only");
    }

    [TestMethod]
    public void ValidationRunsWithTheAverageAndTrainingGoesOnFromTheCurrentWeights()
    {
        var steps = new List<List<Tensor>>();
        var epochStarts = new List<List<Tensor>>();
        var options = Quiet.Options(2);
        options.NumSanityValSteps = 0;
        options.Callbacks.Add(new EMAWeightAveraging(decay: 0.5));
        options.Callbacks.Add(Recorder(steps, epochStarts));
        using var model = new ValidationRecorder();
        new Trainer(options).Fit(model, RandomData.Batches(2), RandomData.Batches(1, seed: 1));
        AssertClose(Ema(steps.Take(2), 0.5), model.ValidationWeights[0], "the first validation saw the average of two steps");
        AssertClose(steps[1], epochStarts[1], "the second epoch trained on from the current weights");
    }

    [TestMethod]
    public void CheckpointsHoldTheAverageAndAResumedFitEqualsAnUninterruptedOne()
    {
        using var uninterrupted = new TinyModel();
        using var resumed = new TinyModel();
        WeightCopy.Into(uninterrupted, resumed);

        var straight = Quiet.Options(3);
        straight.Callbacks.Add(new EMAWeightAveraging(decay: 0.7));
        new Trainer(straight).Fit(uninterrupted, RandomData.Batches(2));

        var folder = TempDir.Create();
        var first = Quiet.Options(2);
        var ema = new EMAWeightAveraging(decay: 0.7);
        first.Callbacks.Add(ema);
        first.Callbacks.Add(new ModelCheckpoint(dirpath: folder, saveLast: true));
        new Trainer(first).Fit(resumed, RandomData.Batches(2));
        var last = Path.Combine(folder, "last.ckpt");
        using (NewDisposeScope())
        {
            var checkpoint = Checkpointing.CheckpointFile.Read(last);
            var saved = (Dictionary<string, object?>)checkpoint["state_dict"]!;
            var current = (Dictionary<string, object?>)checkpoint[WeightAveraging.CurrentModelStateKey]!;
            var averaged = ema.AveragedWeights!;
            foreach (var (name, tensor) in averaged)
            {
                Assert.IsTrue(tensor.allclose((Tensor)saved[name]!, 0, 0), $"{name}: the state_dict is the average");
                Assert.IsFalse(tensor.allclose((Tensor)current[name]!), $"{name}: the current weights are kept beside it");
            }
            var state = (Dictionary<string, object?>)((Dictionary<string, object?>)checkpoint["callbacks"]!)["EMAWeightAveraging"]!;
            Assert.AreEqual(4L, Convert.ToInt64(state["n_averaged"]));
        }

        var second = Quiet.Options(3);
        second.Callbacks.Add(new EMAWeightAveraging(decay: 0.7));
        new Trainer(second).Fit(resumed, RandomData.Batches(2), ckptPath: last);
        AssertClose(uninterrupted.Snapshot(), resumed.Snapshot(), "resuming continues the average and the training exactly");
    }

    [TestMethod]
    public void BadSettingsAreNamed()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new EMAWeightAveraging(decay: 1.5)).Message, "between 0 and 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new EMAWeightAveraging(updateEveryNSteps: -1)).Message, "cannot be negative");
    }
}
