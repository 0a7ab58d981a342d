using Lightning.Precision;
using Lightning.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests.Precision;

/// <summary>The dynamic loss scaler of 16-mixed, with infinities injected into the gradients.</summary>
[TestClass]
public sealed class GradScalerTests
{
    private static (TorchSharp.Modules.Linear Layer, optim.Optimizer Optimizer) Layer()
    {
        var layer = Linear(2, 1);
        return (layer, optim.SGD(layer.parameters(), 0.1));
    }

    private static void SetGradients(TorchSharp.Modules.Linear layer, float value)
    {
        foreach (var parameter in layer.parameters()) parameter.grad = full_like(parameter, value);
    }

    private static float[] Weights(TorchSharp.Modules.Linear layer) => layer.weight.data<float>().ToArray();

    [TestMethod]
    public void DefaultsArePyTorchs()
    {
        var state = new GradScaler().StateDict();
        Assert.AreEqual(65536.0, state["scale"]);
        Assert.AreEqual(2.0, state["growth_factor"]);
        Assert.AreEqual(0.5, state["backoff_factor"]);
        Assert.AreEqual(2000, state["growth_interval"]);
        Assert.AreEqual(0, state["_growth_tracker"]);
    }

    [TestMethod]
    public void ScalesTheLossInFloat32()
    {
        using var loss = tensor(2.0f).to(ScalarType.Float16);
        using var scaled = new GradScaler().ScaleLoss(loss);
        Assert.AreEqual(ScalarType.Float32, scaled.dtype, "a float16 loss times 65536 would overflow");
        Assert.AreEqual(131072.0, scaled.ToDouble());
    }

    [TestMethod]
    public void UnscalesOncePerStep()
    {
        var (layer, optimizer) = Layer();
        using var _ = layer;
        var scaler = new GradScaler(initScale: 4);
        SetGradients(layer, 8);
        scaler.Unscale(optimizer);
        scaler.Unscale(optimizer);
        Assert.AreEqual(2f, layer.weight.grad!.data<float>()[0]);
        Assert.IsTrue(scaler.Step(optimizer, () => optimizer.step()));
    }

    [TestMethod]
    [DataRow(float.PositiveInfinity)]
    [DataRow(float.NaN)]
    public void NonFiniteGradientsSkipTheStepAndHalveTheScale(float bad)
    {
        var (layer, optimizer) = Layer();
        using var _ = layer;
        var scaler = new GradScaler(initScale: 1024, growthInterval: 3);
        SetGradients(layer, 1);
        Assert.IsTrue(scaler.Step(optimizer, () => optimizer.step()));
        scaler.Update();
        Assert.AreEqual(1, scaler.GrowthTracker);

        var before = Weights(layer);
        SetGradients(layer, 1);
        layer.weight.grad![0, 1] = bad;
        var stepped = false;
        Assert.IsFalse(scaler.Step(optimizer, () => stepped = true));
        Assert.IsFalse(stepped, "the optimizer step is skipped");
        CollectionAssert.AreEqual(before, Weights(layer));
        scaler.Update();
        Assert.AreEqual(512.0, scaler.Scale);
        Assert.AreEqual(0, scaler.GrowthTracker, "a bad step restarts the run of good steps");
        Assert.AreEqual(1, scaler.SkippedSteps);
    }

    [TestMethod]
    public void GrowsAfterTheIntervalOfGoodSteps()
    {
        var (layer, optimizer) = Layer();
        using var _ = layer;
        var scaler = new GradScaler(initScale: 8, growthInterval: 3);
        for (var step = 1; step <= 7; step++)
        {
            SetGradients(layer, 1);
            scaler.Step(optimizer, () => optimizer.step());
            scaler.Update();
            Assert.AreEqual(step < 3 ? 8.0 : step < 6 ? 16.0 : 32.0, scaler.Scale, $"after step {step}");
        }
        Assert.AreEqual(1, scaler.GrowthTracker);
    }

    [TestMethod]
    public void StateRoundTripsThroughStateDict()
    {
        var (layer, optimizer) = Layer();
        using var _ = layer;
        var scaler = new GradScaler(initScale: 256, growthFactor: 4, backoffFactor: 0.25, growthInterval: 10);
        SetGradients(layer, float.PositiveInfinity);
        scaler.Step(optimizer, () => optimizer.step());
        scaler.Update();
        SetGradients(layer, 1);
        scaler.Step(optimizer, () => optimizer.step());
        scaler.Update();

        var restored = new GradScaler();
        restored.LoadStateDict(scaler.StateDict().AsReadOnly());
        CollectionAssert.AreEquivalent(scaler.StateDict().ToList(), restored.StateDict().ToList());
        Assert.AreEqual(64.0, restored.Scale);
        Assert.AreEqual(1, restored.GrowthTracker);
    }

    [TestMethod]
    public void BadStateIsRejectedWithoutChangingAnything()
    {
        var scaler = new GradScaler(initScale: 128);
        var state = new Dictionary<string, object?>(scaler.StateDict());
        state.Remove("_growth_tracker");
        var missing = Assert.ThrowsExactly<ArgumentException>(() => new GradScaler().LoadStateDict(state.AsReadOnly()));
        StringAssert.Contains(missing.Message, "'_growth_tracker'");

        state = new Dictionary<string, object?>(scaler.StateDict()) { ["scale"] = "lots" };
        var target = new GradScaler(initScale: 2);
        var notNumber = Assert.ThrowsExactly<ArgumentException>(() => target.LoadStateDict(state.AsReadOnly()));
        StringAssert.Contains(notNumber.Message, "'scale'");
        Assert.AreEqual(2.0, target.Scale);

        state = new Dictionary<string, object?>(scaler.StateDict()) { ["scale"] = -1.0 };
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => target.LoadStateDict(state.AsReadOnly()));
        Assert.AreEqual(2.0, target.Scale);
    }

    /// <summary>A classifier whose loss is infinite at one batch.</summary>
    private sealed class Overflowing : LightningModule<(Tensor X, Tensor Y)>
    {
        private readonly TorchSharp.Modules.Linear _layer = Linear(8, 2);
        private readonly int _badBatch;

        public Overflowing(int badBatch)
        {
            _badBatch = badBatch;
            RegisterComponents();
        }

        public List<(float[] Weights, double Scale, long Step)> AfterBatch { get; } = [];

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var loss = functional.cross_entropy(_layer.forward(batch.X), batch.Y);
            return batchIdx == _badBatch ? loss * float.PositiveInfinity : loss;
        }

        public override void OnTrainBatchEnd(StepOutput outputs, (Tensor X, Tensor Y) batch, int batchIdx)
        {
            var scaler = ((MixedPrecision)Trainer!.Precision).Scaler!;
            AfterBatch.Add((_layer.weight.data<float>().ToArray(), scaler.Scale, Trainer.GlobalStep));
        }

        public override OptimizerConfig ConfigureOptimizers() => optim.SGD(parameters(), 0.01);
    }

    [TestMethod]
    public void TrainerSkipsTheOverflowingStepAndKeepsCounting()
    {
        using var model = new Overflowing(badBatch: 2);
        var options = Quiet.Options();
        options.Precision = "16-mixed";
        var trainer = Float16OnCpu.Trainer(options);
        trainer.Fit(model, RandomData.Batches(4));

        var after = model.AfterBatch;
        Assert.AreEqual(4, after.Count);
        CollectionAssert.AreNotEqual(after[0].Weights, after[1].Weights, "good steps update the weights");
        CollectionAssert.AreEqual(after[1].Weights, after[2].Weights, "the overflowing step is skipped");
        CollectionAssert.AreNotEqual(after[2].Weights, after[3].Weights);
        Assert.AreEqual(65536.0, after[1].Scale);
        Assert.AreEqual(32768.0, after[2].Scale);
        Assert.AreEqual(3L, after[2].Step, "a skipped step still counts, as in Lightning");

        var saved = trainer.Precision.StateDict();
        var fresh = Float16OnCpu.Trainer(options);
        fresh.Precision.LoadStateDict(saved.AsReadOnly());
        Assert.AreEqual(32768.0, ((MixedPrecision)fresh.Precision).Scaler!.Scale);
        Assert.AreEqual(1, ((MixedPrecision)fresh.Precision).Scaler!.GrowthTracker);
    }

    /// <summary>Manual optimization that clips before stepping, recording the gradient norm the clipping saw.</summary>
    private sealed class ManualClipping : LightningModule<(Tensor X, Tensor Y)>
    {
        private readonly TorchSharp.Modules.Linear _layer = Linear(8, 2);

        public ManualClipping()
        {
            AutomaticOptimization = false;
            RegisterComponents();
        }

        public List<double> ClippedNorms { get; } = [];

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var optimizer = Optimizers()[0];
            optimizer.zero_grad();
            var loss = functional.cross_entropy(_layer.forward(batch.X), batch.Y);
            ManualBackward(loss);
            ClipGradients(optimizer, gradientClipVal: 1e9);
            ClippedNorms.Add(_layer.weight.grad!.norm().ToDouble());
            optimizer.step();
            return loss;
        }

        public override OptimizerConfig ConfigureOptimizers() => optim.SGD(parameters(), 0.01);
    }

    [TestMethod]
    public void ManualClippingSeesTrueScaleGradients()
    {
        double[] Norms(string precision)
        {
            Trainer.SeedEverything(3);
            using var model = new ManualClipping();
            var options = Quiet.Options();
            options.Precision = precision;
            Float16OnCpu.Trainer(options).Fit(model, RandomData.Batches(3));
            return [.. model.ClippedNorms];
        }
        var mixed = Norms("16-mixed");
        var full = Norms("32-true");
        for (var i = 0; i < full.Length; i++)
            Assert.AreEqual(full[i], mixed[i], full[i] * 0.01, $"step {i}: clipping saw {mixed[i]}, not the true-scale {full[i]}");
    }
}
