using static TorchSharp.torch;
using static TorchSharp.torch.optim;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Lightning.Tests.Support;

/// <summary>
/// A <see cref="TinyModel"/> that records every hook the trainer calls, by name, and the module's mode switches
/// (<c>train(False)</c>, <c>train(True)</c>) and <c>zero_grad</c>, as Lightning's <c>test_hooks.py</c> records them.
/// It does not override <c>On*ModelTrain</c>, so the trainer restores the captured modes itself.
/// </summary>
internal sealed class HookedModel : TinyModel
{
    private readonly List<string> _called;

    public HookedModel(List<string> called) => _called = called;

    public bool WithScheduler { get; init; }

    /// <summary>When set, also records the hook the trainer names as running at each call.</summary>
    public List<(string Called, string? Running)>? Running { get; init; }

    private void Record(string name)
    {
        _called.Add(name);
        Running?.Add((name, Trainer?.Hooks.Current));
    }

    public override void PrepareData() => Record(nameof(PrepareData));
    public override void Setup(Stage stage) => Record($"{nameof(Setup)}({stage})");
    public override void ConfigureModel() => Record(nameof(ConfigureModel));
    public override IEnumerable<Callback> ConfigureCallbacks() { Record(nameof(ConfigureCallbacks)); return []; }
    public override OptimizerConfig? ConfigureOptimizers()
    {
        Record(nameof(ConfigureOptimizers));
        var optimizer = SGD(parameters(), 0.1);
        return WithScheduler ? new OptimizerConfig(optimizer, StepLR(optimizer, 1)) : optimizer;
    }
    public override IEnumerable<(Tensor X, Tensor Y)>? TrainDataLoader() { Record(nameof(TrainDataLoader)); return RandomData.Batches(4); }
    public override IEnumerable<(Tensor X, Tensor Y)>? ValDataLoader() { Record(nameof(ValDataLoader)); return RandomData.Batches(4, seed: 1); }
    public override IEnumerable<(Tensor X, Tensor Y)>? TestDataLoader() { Record(nameof(TestDataLoader)); return RandomData.Batches(4, seed: 2); }
    public override IEnumerable<(Tensor X, Tensor Y)>? PredictDataLoader() { Record(nameof(PredictDataLoader)); return RandomData.Batches(4, seed: 3); }
    public override (Tensor X, Tensor Y) OnBeforeBatchTransfer((Tensor X, Tensor Y) batch, int dataloaderIdx) { Record(nameof(OnBeforeBatchTransfer)); return batch; }
    public override (Tensor X, Tensor Y) TransferBatchToDevice((Tensor X, Tensor Y) batch, Device device, int dataloaderIdx) { Record(nameof(TransferBatchToDevice)); return base.TransferBatchToDevice(batch, device, dataloaderIdx); }
    public override (Tensor X, Tensor Y) OnAfterBatchTransfer((Tensor X, Tensor Y) batch, int dataloaderIdx) { Record(nameof(OnAfterBatchTransfer)); return batch; }
    public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) { Record(nameof(TrainingStep)); return base.TrainingStep(batch, batchIdx); }
    public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx) { Record(nameof(ValidationStep)); return base.ValidationStep(batch, batchIdx); }
    public override StepOutput? TestStep((Tensor X, Tensor Y) batch, int batchIdx) { Record(nameof(TestStep)); return base.TestStep(batch, batchIdx); }
    public override Tensor PredictStep((Tensor X, Tensor Y) batch, int batchIdx) { Record(nameof(PredictStep)); return base.PredictStep(batch, batchIdx); }
    public override void OnFitStart() => Record(nameof(OnFitStart));
    public override void OnFitEnd() => Record(nameof(OnFitEnd));
    public override void OnTrainStart() => Record(nameof(OnTrainStart));
    public override void OnTrainEnd() => Record(nameof(OnTrainEnd));
    public override void OnTrainEpochStart() => Record(nameof(OnTrainEpochStart));
    public override void OnTrainEpochEnd() => Record(nameof(OnTrainEpochEnd));
    public override int OnTrainBatchStart((Tensor X, Tensor Y) batch, int batchIdx)
    {
        Record(nameof(OnTrainBatchStart));
        return 0;
    }
    public override void OnTrainBatchEnd(StepOutput outputs, (Tensor X, Tensor Y) batch, int batchIdx) => Record(nameof(OnTrainBatchEnd));
    public override void OnBeforeZeroGrad(Optimizer optimizer) => Record(nameof(OnBeforeZeroGrad));
    public override void OptimizerZeroGrad(int epoch, int batchIdx, Optimizer optimizer) { Record(nameof(OptimizerZeroGrad)); base.OptimizerZeroGrad(epoch, batchIdx, optimizer); }
    public override void OnBeforeBackward(Tensor loss) => Record(nameof(OnBeforeBackward));
    public override void Backward(Tensor loss) { Record(nameof(Backward)); base.Backward(loss); }
    public override void OnAfterBackward() => Record(nameof(OnAfterBackward));
    public override void OnBeforeOptimizerStep(Optimizer optimizer) => Record(nameof(OnBeforeOptimizerStep));
    public override void ConfigureGradientClipping(Optimizer optimizer, double? gradientClipVal, GradientClipAlgorithm? gradientClipAlgorithm) { Record(nameof(ConfigureGradientClipping)); base.ConfigureGradientClipping(optimizer, gradientClipVal, gradientClipAlgorithm); }
    public override void ClipGradients(Optimizer optimizer, double? gradientClipVal = null, GradientClipAlgorithm? gradientClipAlgorithm = null) { Record(nameof(ClipGradients)); base.ClipGradients(optimizer, gradientClipVal, gradientClipAlgorithm); }
    public override void OptimizerStep(int epoch, int batchIdx, Optimizer optimizer, Func<Tensor>? optimizerClosure) { Record(nameof(OptimizerStep)); base.OptimizerStep(epoch, batchIdx, optimizer, optimizerClosure); }
    public override void LrSchedulerStep(LRScheduler scheduler, double? metric) { Record(nameof(LrSchedulerStep)); base.LrSchedulerStep(scheduler, metric); }
    public override void OnValidationStart() => Record(nameof(OnValidationStart));
    public override void OnValidationEnd() => Record(nameof(OnValidationEnd));
    public override void OnValidationEpochStart() => Record(nameof(OnValidationEpochStart));
    public override void OnValidationEpochEnd() => Record(nameof(OnValidationEpochEnd));
    public override void OnValidationBatchStart((Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx) => Record(nameof(OnValidationBatchStart));
    public override void OnValidationBatchEnd(StepOutput? outputs, (Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx) => Record(nameof(OnValidationBatchEnd));
    public override void OnValidationModelZeroGrad() { Record(nameof(OnValidationModelZeroGrad)); base.OnValidationModelZeroGrad(); }
    public override void OnValidationModelEval() { Record(nameof(OnValidationModelEval)); base.OnValidationModelEval(); }
    public override void OnTestStart() => Record(nameof(OnTestStart));
    public override void OnTestEnd() => Record(nameof(OnTestEnd));
    public override void OnTestEpochStart() => Record(nameof(OnTestEpochStart));
    public override void OnTestEpochEnd() => Record(nameof(OnTestEpochEnd));
    public override void OnTestBatchStart((Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx) => Record(nameof(OnTestBatchStart));
    public override void OnTestBatchEnd(StepOutput? outputs, (Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx) => Record(nameof(OnTestBatchEnd));
    public override void OnTestModelEval() { Record(nameof(OnTestModelEval)); base.OnTestModelEval(); }
    public override void OnPredictStart() => Record(nameof(OnPredictStart));
    public override void OnPredictEnd() => Record(nameof(OnPredictEnd));
    public override void OnPredictEpochStart() => Record(nameof(OnPredictEpochStart));
    public override void OnPredictEpochEnd() => Record(nameof(OnPredictEpochEnd));
    public override void OnPredictBatchStart((Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx) => Record(nameof(OnPredictBatchStart));
    public override void OnPredictBatchEnd(Tensor outputs, (Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx) => Record(nameof(OnPredictBatchEnd));
    public override void OnPredictModelEval() { Record(nameof(OnPredictModelEval)); base.OnPredictModelEval(); }
    public override void OnSaveCheckpoint(IDictionary<string, object?> checkpoint) => Record(nameof(OnSaveCheckpoint));
    public override void OnLoadCheckpoint(IReadOnlyDictionary<string, object?> checkpoint) => Record(nameof(OnLoadCheckpoint));
    public override void Teardown(Stage stage) => Record($"{nameof(Teardown)}({stage})");

    // The nn.Module methods Lightning's test records too: the mode switches and zero_grad.
    public override void train(bool train = true) { Record($"train({train})"); base.train(train); }
    public override void zero_grad(bool set_to_none = true) { Record(nameof(zero_grad)); base.zero_grad(set_to_none); }
}
