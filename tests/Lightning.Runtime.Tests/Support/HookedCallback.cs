using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning.Tests.Support;

/// <summary>A callback that records every hook the trainer calls, as <c>Callback.Name</c>.</summary>
internal sealed class HookedCallback(List<string> called) : Callback
{
    private void Record(string name) => called.Add("Callback." + name);

    public override void Setup(Trainer trainer, LightningModule module, Stage stage) => Record($"{nameof(Setup)}({stage})");
    public override void Teardown(Trainer trainer, LightningModule module, Stage stage) => Record($"{nameof(Teardown)}({stage})");
    public override void OnFitStart(Trainer trainer, LightningModule module) => Record(nameof(OnFitStart));
    public override void OnFitEnd(Trainer trainer, LightningModule module) => Record(nameof(OnFitEnd));
    public override void OnSanityCheckStart(Trainer trainer, LightningModule module) => Record(nameof(OnSanityCheckStart));
    public override void OnSanityCheckEnd(Trainer trainer, LightningModule module) => Record(nameof(OnSanityCheckEnd));
    public override void OnTrainStart(Trainer trainer, LightningModule module) => Record(nameof(OnTrainStart));
    public override void OnTrainEnd(Trainer trainer, LightningModule module) => Record(nameof(OnTrainEnd));
    public override void OnTrainEpochStart(Trainer trainer, LightningModule module) => Record(nameof(OnTrainEpochStart));
    public override void OnTrainEpochEnd(Trainer trainer, LightningModule module) => Record(nameof(OnTrainEpochEnd));
    public override void OnTrainBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx) => Record(nameof(OnTrainBatchStart));
    public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx) => Record(nameof(OnTrainBatchEnd));
    public override void OnValidationStart(Trainer trainer, LightningModule module) => Record(nameof(OnValidationStart));
    public override void OnValidationEnd(Trainer trainer, LightningModule module) => Record(nameof(OnValidationEnd));
    public override void OnValidationEpochStart(Trainer trainer, LightningModule module) => Record(nameof(OnValidationEpochStart));
    public override void OnValidationEpochEnd(Trainer trainer, LightningModule module) => Record(nameof(OnValidationEpochEnd));
    public override void OnValidationBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) => Record(nameof(OnValidationBatchStart));
    public override void OnValidationBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx) => Record(nameof(OnValidationBatchEnd));
    public override void OnTestStart(Trainer trainer, LightningModule module) => Record(nameof(OnTestStart));
    public override void OnTestEnd(Trainer trainer, LightningModule module) => Record(nameof(OnTestEnd));
    public override void OnTestEpochStart(Trainer trainer, LightningModule module) => Record(nameof(OnTestEpochStart));
    public override void OnTestEpochEnd(Trainer trainer, LightningModule module) => Record(nameof(OnTestEpochEnd));
    public override void OnTestBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) => Record(nameof(OnTestBatchStart));
    public override void OnTestBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx) => Record(nameof(OnTestBatchEnd));
    public override void OnPredictStart(Trainer trainer, LightningModule module) => Record(nameof(OnPredictStart));
    public override void OnPredictEnd(Trainer trainer, LightningModule module) => Record(nameof(OnPredictEnd));
    public override void OnPredictEpochStart(Trainer trainer, LightningModule module) => Record(nameof(OnPredictEpochStart));
    public override void OnPredictEpochEnd(Trainer trainer, LightningModule module) => Record(nameof(OnPredictEpochEnd));
    public override void OnPredictBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) => Record(nameof(OnPredictBatchStart));
    public override void OnPredictBatchEnd(Trainer trainer, LightningModule module, Tensor outputs, object batch, int batchIdx, int dataloaderIdx) => Record(nameof(OnPredictBatchEnd));
    public override void OnBeforeBackward(Trainer trainer, LightningModule module, Tensor loss) => Record(nameof(OnBeforeBackward));
    public override void OnAfterBackward(Trainer trainer, LightningModule module) => Record(nameof(OnAfterBackward));
    public override void OnBeforeOptimizerStep(Trainer trainer, LightningModule module, Optimizer optimizer) => Record(nameof(OnBeforeOptimizerStep));
    public override void OnBeforeZeroGrad(Trainer trainer, LightningModule module, Optimizer optimizer) => Record(nameof(OnBeforeZeroGrad));
    public override void OnSaveCheckpoint(Trainer trainer, LightningModule module, IDictionary<string, object?> checkpoint) => Record(nameof(OnSaveCheckpoint));
    public override void OnLoadCheckpoint(Trainer trainer, LightningModule module, IReadOnlyDictionary<string, object?> checkpoint) => Record(nameof(OnLoadCheckpoint));

    // A state, as Lightning's HookedCallback has, so the checkpoint's callback state is saved and loaded.
    public override IDictionary<string, object?> StateDict()
    {
        Record(nameof(StateDict));
        return new Dictionary<string, object?> { ["foo"] = true };
    }

    public override void LoadStateDict(IReadOnlyDictionary<string, object?> state) => Record(nameof(LoadStateDict));
}
