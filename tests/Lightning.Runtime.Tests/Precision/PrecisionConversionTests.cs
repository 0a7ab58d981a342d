using Lightning.Precision;
using Lightning.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests.Precision;

/// <summary>What each precision does to the module, the batches, the forward pass and the loss.</summary>
[TestClass]
public sealed class PrecisionConversionTests
{
    /// <summary>Records the types seen in the first training step.</summary>
    private sealed class TypeRecorder : LightningModule<(Tensor X, Tensor Y)>
    {
        private readonly TorchSharp.Modules.Linear _layer = Linear(4, 2);

        public TypeRecorder() => RegisterComponents();

        public ScalarType? Input { get; private set; }
        public ScalarType? Labels { get; private set; }
        public ScalarType? Output { get; private set; }
        public ScalarType? Loss { get; private set; }
        public ScalarType? Parameter { get; private set; }
        public ScalarType? Gradient { get; private set; }
        public ScalarType? Created { get; private set; }

        public Tensor forward(Tensor x) => _layer.forward(x);

        public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var output = forward(batch.X);
            var loss = functional.cross_entropy(output, batch.Y);
            Input ??= batch.X.dtype;
            Labels ??= batch.Y.dtype;
            Output ??= output.dtype;
            Loss ??= loss.dtype;
            Parameter ??= _layer.weight.dtype;
            Created ??= zeros(1).dtype;
            return loss;
        }

        public override void OnAfterBackward() => Gradient ??= _layer.weight.grad?.dtype;

        public override OptimizerConfig ConfigureOptimizers() => optim.SGD(parameters(), 0.1);
    }

    private static TypeRecorder Fit(string precision)
    {
        var model = new TypeRecorder();
        var options = Quiet.Options();
        options.Precision = precision;
        options.LimitTrainBatches = 1;
        Float16OnCpu.Trainer(options).Fit(model, [(ones(8, 4), zeros(8, dtype: ScalarType.Int64))]);
        return model;
    }

    [TestMethod]
    [DataRow("32-true", ScalarType.Float32)]
    [DataRow("64-true", ScalarType.Float64)]
    [DataRow("16-true", ScalarType.Float16)]
    [DataRow("bf16-true", ScalarType.BFloat16)]
    public void TruePrecisionPutsModuleInputsAndNewTensorsInOneType(string precision, ScalarType dtype)
    {
        using var model = Fit(precision);
        Assert.AreEqual(dtype, model.Parameter);
        Assert.AreEqual(dtype, model.Input);
        Assert.AreEqual(ScalarType.Int64, model.Labels, "integer tensors keep their type");
        Assert.AreEqual(dtype, model.Output);
        Assert.AreEqual(dtype, model.Loss);
        Assert.AreEqual(dtype, model.Gradient);
        Assert.AreEqual(dtype, model.Created, "tensors created in the step default to the precision's type");
        Assert.AreEqual(ScalarType.Float32, get_default_dtype(), "the default type is restored after the step");
    }

    [TestMethod]
    [DataRow("16-mixed", ScalarType.Float16)]
    [DataRow("bf16-mixed", ScalarType.BFloat16)]
    public void MixedPrecisionComputesLowButKeepsFloat32WeightsAndLoss(string precision, ScalarType low)
    {
        using var model = Fit(precision);
        Assert.AreEqual(ScalarType.Float32, model.Parameter, "master weights stay float32");
        Assert.AreEqual(ScalarType.Float32, model.Input, "inputs are cast by autocast, not beforehand");
        Assert.AreEqual(low, model.Output, "the matrix product runs in the low type");
        Assert.AreEqual(ScalarType.Float32, model.Loss, "the loss is computed in float32");
        Assert.AreEqual(ScalarType.Float32, model.Gradient, "gradients reach the float32 weights");
        Assert.AreEqual(ScalarType.Float32, model.Created);
        using var after = functional.linear(ones(1, 4), ones(2, 4));
        Assert.AreEqual(ScalarType.Float32, after.dtype, "autocast is off again after the step");
    }

    [TestMethod]
    [DataRow("16", "16-mixed")]
    [DataRow("bf16", "bf16-mixed")]
    [DataRow("32", "32-true")]
    [DataRow("64", "64-true")]
    [DataRow("double", "64-true")]
    [DataRow("BF16-Mixed", "bf16-mixed")]
    public void AliasesNameLightningsPrecisions(string alias, string name) =>
        Assert.AreEqual(name, PrecisionNames.Canonical(alias), "on the CPU the trainer then makes 16-mixed bf16-mixed");

    [TestMethod]
    public void APrecisionTheDeviceCannotComputeIsRefusedWithTheReason()
    {
        // Every precision works on this CPU's LibTorch, so the refusals are provoked: autocast missing, and a native error.
        var notCast = Assert.ThrowsExactly<NotSupportedException>(
            () => PrecisionProbe.Run("16-mixed", CPU, ScalarType.Float32, ScalarType.Float16, () => null));
        StringAssert.Contains(notCast.Message, "Precision '16-mixed' does not work on cpu with this LibTorch: a matrix product came out in Float32, not Float16");
        StringAssert.Contains(notCast.Message, "Use '32-true'");
        var native = Assert.ThrowsExactly<NotSupportedException>(
            () => PrecisionProbe.Run("int-true", CPU, ScalarType.Int32, ScalarType.Int32, () => null));
        StringAssert.Contains(native.Message, "LibTorch said:");
    }
}
