using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning;

/// <summary>
/// A callback made of functions (Lightning's <c>LambdaCallback</c>): pass a function for each hook you need,
/// for example <c>new LambdaCallback(onTrainEpochEnd: (trainer, module) =&gt; Console.WriteLine(trainer.CurrentEpoch))</c>.
/// </summary>
public sealed class LambdaCallback : Callback
{
    private readonly Action<Trainer, LightningModule, Stage>? _setup;
    private readonly Action<Trainer, LightningModule, Stage>? _teardown;
    private readonly Action<Trainer, LightningModule>? _onFitStart;
    private readonly Action<Trainer, LightningModule>? _onFitEnd;
    private readonly Action<Trainer, LightningModule>? _onSanityCheckStart;
    private readonly Action<Trainer, LightningModule>? _onSanityCheckEnd;
    private readonly Action<Trainer, LightningModule>? _onTrainStart;
    private readonly Action<Trainer, LightningModule>? _onTrainEnd;
    private readonly Action<Trainer, LightningModule>? _onTrainEpochStart;
    private readonly Action<Trainer, LightningModule>? _onTrainEpochEnd;
    private readonly Action<Trainer, LightningModule, object, int>? _onTrainBatchStart;
    private readonly Action<Trainer, LightningModule, StepOutput, object, int>? _onTrainBatchEnd;
    private readonly Action<Trainer, LightningModule>? _onValidationStart;
    private readonly Action<Trainer, LightningModule>? _onValidationEnd;
    private readonly Action<Trainer, LightningModule>? _onValidationEpochStart;
    private readonly Action<Trainer, LightningModule>? _onValidationEpochEnd;
    private readonly Action<Trainer, LightningModule, object, int, int>? _onValidationBatchStart;
    private readonly Action<Trainer, LightningModule, StepOutput?, object, int, int>? _onValidationBatchEnd;
    private readonly Action<Trainer, LightningModule>? _onTestStart;
    private readonly Action<Trainer, LightningModule>? _onTestEnd;
    private readonly Action<Trainer, LightningModule>? _onTestEpochStart;
    private readonly Action<Trainer, LightningModule>? _onTestEpochEnd;
    private readonly Action<Trainer, LightningModule, object, int, int>? _onTestBatchStart;
    private readonly Action<Trainer, LightningModule, StepOutput?, object, int, int>? _onTestBatchEnd;
    private readonly Action<Trainer, LightningModule>? _onPredictStart;
    private readonly Action<Trainer, LightningModule>? _onPredictEnd;
    private readonly Action<Trainer, LightningModule>? _onPredictEpochStart;
    private readonly Action<Trainer, LightningModule>? _onPredictEpochEnd;
    private readonly Action<Trainer, LightningModule, object, int, int>? _onPredictBatchStart;
    private readonly Action<Trainer, LightningModule, Tensor, object, int, int>? _onPredictBatchEnd;
    private readonly Action<Trainer, LightningModule, Tensor>? _onBeforeBackward;
    private readonly Action<Trainer, LightningModule>? _onAfterBackward;
    private readonly Action<Trainer, LightningModule, Optimizer>? _onBeforeOptimizerStep;
    private readonly Action<Trainer, LightningModule, Optimizer>? _onBeforeZeroGrad;
    private readonly Action<Trainer, LightningModule, Exception>? _onException;
    private readonly Action<Trainer, LightningModule, IDictionary<string, object?>>? _onSaveCheckpoint;
    private readonly Action<Trainer, LightningModule, IReadOnlyDictionary<string, object?>>? _onLoadCheckpoint;

    /// <summary>Creates the callback from functions for the hooks given; the others do nothing.</summary>
    /// <param name="setup">Called as <see cref="Callback.Setup"/>.</param>
    /// <param name="teardown">Called as <see cref="Callback.Teardown"/>.</param>
    /// <param name="onFitStart">Called as <see cref="Callback.OnFitStart"/>.</param>
    /// <param name="onFitEnd">Called as <see cref="Callback.OnFitEnd"/>.</param>
    /// <param name="onSanityCheckStart">Called as <see cref="Callback.OnSanityCheckStart"/>.</param>
    /// <param name="onSanityCheckEnd">Called as <see cref="Callback.OnSanityCheckEnd"/>.</param>
    /// <param name="onTrainStart">Called as <see cref="Callback.OnTrainStart"/>.</param>
    /// <param name="onTrainEnd">Called as <see cref="Callback.OnTrainEnd"/>.</param>
    /// <param name="onTrainEpochStart">Called as <see cref="Callback.OnTrainEpochStart"/>.</param>
    /// <param name="onTrainEpochEnd">Called as <see cref="Callback.OnTrainEpochEnd"/>.</param>
    /// <param name="onTrainBatchStart">Called as <see cref="Callback.OnTrainBatchStart"/>.</param>
    /// <param name="onTrainBatchEnd">Called as <see cref="Callback.OnTrainBatchEnd"/>.</param>
    /// <param name="onValidationStart">Called as <see cref="Callback.OnValidationStart"/>.</param>
    /// <param name="onValidationEnd">Called as <see cref="Callback.OnValidationEnd"/>.</param>
    /// <param name="onValidationEpochStart">Called as <see cref="Callback.OnValidationEpochStart"/>.</param>
    /// <param name="onValidationEpochEnd">Called as <see cref="Callback.OnValidationEpochEnd"/>.</param>
    /// <param name="onValidationBatchStart">Called as <see cref="Callback.OnValidationBatchStart"/>.</param>
    /// <param name="onValidationBatchEnd">Called as <see cref="Callback.OnValidationBatchEnd"/>.</param>
    /// <param name="onTestStart">Called as <see cref="Callback.OnTestStart"/>.</param>
    /// <param name="onTestEnd">Called as <see cref="Callback.OnTestEnd"/>.</param>
    /// <param name="onTestEpochStart">Called as <see cref="Callback.OnTestEpochStart"/>.</param>
    /// <param name="onTestEpochEnd">Called as <see cref="Callback.OnTestEpochEnd"/>.</param>
    /// <param name="onTestBatchStart">Called as <see cref="Callback.OnTestBatchStart"/>.</param>
    /// <param name="onTestBatchEnd">Called as <see cref="Callback.OnTestBatchEnd"/>.</param>
    /// <param name="onPredictStart">Called as <see cref="Callback.OnPredictStart"/>.</param>
    /// <param name="onPredictEnd">Called as <see cref="Callback.OnPredictEnd"/>.</param>
    /// <param name="onPredictEpochStart">Called as <see cref="Callback.OnPredictEpochStart"/>.</param>
    /// <param name="onPredictEpochEnd">Called as <see cref="Callback.OnPredictEpochEnd"/>.</param>
    /// <param name="onPredictBatchStart">Called as <see cref="Callback.OnPredictBatchStart"/>.</param>
    /// <param name="onPredictBatchEnd">Called as <see cref="Callback.OnPredictBatchEnd"/>.</param>
    /// <param name="onBeforeBackward">Called as <see cref="Callback.OnBeforeBackward"/>.</param>
    /// <param name="onAfterBackward">Called as <see cref="Callback.OnAfterBackward"/>.</param>
    /// <param name="onBeforeOptimizerStep">Called as <see cref="Callback.OnBeforeOptimizerStep"/>.</param>
    /// <param name="onBeforeZeroGrad">Called as <see cref="Callback.OnBeforeZeroGrad"/>.</param>
    /// <param name="onException">Called as <see cref="Callback.OnException"/>.</param>
    /// <param name="onSaveCheckpoint">Called as <see cref="Callback.OnSaveCheckpoint"/>.</param>
    /// <param name="onLoadCheckpoint">Called as <see cref="Callback.OnLoadCheckpoint"/>.</param>
    public LambdaCallback(
        Action<Trainer, LightningModule, Stage>? setup = null,
        Action<Trainer, LightningModule, Stage>? teardown = null,
        Action<Trainer, LightningModule>? onFitStart = null,
        Action<Trainer, LightningModule>? onFitEnd = null,
        Action<Trainer, LightningModule>? onSanityCheckStart = null,
        Action<Trainer, LightningModule>? onSanityCheckEnd = null,
        Action<Trainer, LightningModule>? onTrainStart = null,
        Action<Trainer, LightningModule>? onTrainEnd = null,
        Action<Trainer, LightningModule>? onTrainEpochStart = null,
        Action<Trainer, LightningModule>? onTrainEpochEnd = null,
        Action<Trainer, LightningModule, object, int>? onTrainBatchStart = null,
        Action<Trainer, LightningModule, StepOutput, object, int>? onTrainBatchEnd = null,
        Action<Trainer, LightningModule>? onValidationStart = null,
        Action<Trainer, LightningModule>? onValidationEnd = null,
        Action<Trainer, LightningModule>? onValidationEpochStart = null,
        Action<Trainer, LightningModule>? onValidationEpochEnd = null,
        Action<Trainer, LightningModule, object, int, int>? onValidationBatchStart = null,
        Action<Trainer, LightningModule, StepOutput?, object, int, int>? onValidationBatchEnd = null,
        Action<Trainer, LightningModule>? onTestStart = null,
        Action<Trainer, LightningModule>? onTestEnd = null,
        Action<Trainer, LightningModule>? onTestEpochStart = null,
        Action<Trainer, LightningModule>? onTestEpochEnd = null,
        Action<Trainer, LightningModule, object, int, int>? onTestBatchStart = null,
        Action<Trainer, LightningModule, StepOutput?, object, int, int>? onTestBatchEnd = null,
        Action<Trainer, LightningModule>? onPredictStart = null,
        Action<Trainer, LightningModule>? onPredictEnd = null,
        Action<Trainer, LightningModule>? onPredictEpochStart = null,
        Action<Trainer, LightningModule>? onPredictEpochEnd = null,
        Action<Trainer, LightningModule, object, int, int>? onPredictBatchStart = null,
        Action<Trainer, LightningModule, Tensor, object, int, int>? onPredictBatchEnd = null,
        Action<Trainer, LightningModule, Tensor>? onBeforeBackward = null,
        Action<Trainer, LightningModule>? onAfterBackward = null,
        Action<Trainer, LightningModule, Optimizer>? onBeforeOptimizerStep = null,
        Action<Trainer, LightningModule, Optimizer>? onBeforeZeroGrad = null,
        Action<Trainer, LightningModule, Exception>? onException = null,
        Action<Trainer, LightningModule, IDictionary<string, object?>>? onSaveCheckpoint = null,
        Action<Trainer, LightningModule, IReadOnlyDictionary<string, object?>>? onLoadCheckpoint = null)
    {
        _setup = setup;
        _teardown = teardown;
        _onFitStart = onFitStart;
        _onFitEnd = onFitEnd;
        _onSanityCheckStart = onSanityCheckStart;
        _onSanityCheckEnd = onSanityCheckEnd;
        _onTrainStart = onTrainStart;
        _onTrainEnd = onTrainEnd;
        _onTrainEpochStart = onTrainEpochStart;
        _onTrainEpochEnd = onTrainEpochEnd;
        _onTrainBatchStart = onTrainBatchStart;
        _onTrainBatchEnd = onTrainBatchEnd;
        _onValidationStart = onValidationStart;
        _onValidationEnd = onValidationEnd;
        _onValidationEpochStart = onValidationEpochStart;
        _onValidationEpochEnd = onValidationEpochEnd;
        _onValidationBatchStart = onValidationBatchStart;
        _onValidationBatchEnd = onValidationBatchEnd;
        _onTestStart = onTestStart;
        _onTestEnd = onTestEnd;
        _onTestEpochStart = onTestEpochStart;
        _onTestEpochEnd = onTestEpochEnd;
        _onTestBatchStart = onTestBatchStart;
        _onTestBatchEnd = onTestBatchEnd;
        _onPredictStart = onPredictStart;
        _onPredictEnd = onPredictEnd;
        _onPredictEpochStart = onPredictEpochStart;
        _onPredictEpochEnd = onPredictEpochEnd;
        _onPredictBatchStart = onPredictBatchStart;
        _onPredictBatchEnd = onPredictBatchEnd;
        _onBeforeBackward = onBeforeBackward;
        _onAfterBackward = onAfterBackward;
        _onBeforeOptimizerStep = onBeforeOptimizerStep;
        _onBeforeZeroGrad = onBeforeZeroGrad;
        _onException = onException;
        _onSaveCheckpoint = onSaveCheckpoint;
        _onLoadCheckpoint = onLoadCheckpoint;
    }

    /// <inheritdoc />
    public override void Setup(Trainer trainer, LightningModule module, Stage stage) => _setup?.Invoke(trainer, module, stage);

    /// <inheritdoc />
    public override void Teardown(Trainer trainer, LightningModule module, Stage stage) => _teardown?.Invoke(trainer, module, stage);

    /// <inheritdoc />
    public override void OnFitStart(Trainer trainer, LightningModule module) => _onFitStart?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnFitEnd(Trainer trainer, LightningModule module) => _onFitEnd?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnSanityCheckStart(Trainer trainer, LightningModule module) => _onSanityCheckStart?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnSanityCheckEnd(Trainer trainer, LightningModule module) => _onSanityCheckEnd?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnTrainStart(Trainer trainer, LightningModule module) => _onTrainStart?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnTrainEnd(Trainer trainer, LightningModule module) => _onTrainEnd?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnTrainEpochStart(Trainer trainer, LightningModule module) => _onTrainEpochStart?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnTrainEpochEnd(Trainer trainer, LightningModule module) => _onTrainEpochEnd?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnTrainBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx) => _onTrainBatchStart?.Invoke(trainer, module, batch, batchIdx);

    /// <inheritdoc />
    public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx) => _onTrainBatchEnd?.Invoke(trainer, module, outputs, batch, batchIdx);

    /// <inheritdoc />
    public override void OnValidationStart(Trainer trainer, LightningModule module) => _onValidationStart?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnValidationEnd(Trainer trainer, LightningModule module) => _onValidationEnd?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnValidationEpochStart(Trainer trainer, LightningModule module) => _onValidationEpochStart?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnValidationEpochEnd(Trainer trainer, LightningModule module) => _onValidationEpochEnd?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnValidationBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) => _onValidationBatchStart?.Invoke(trainer, module, batch, batchIdx, dataloaderIdx);

    /// <inheritdoc />
    public override void OnValidationBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx) => _onValidationBatchEnd?.Invoke(trainer, module, outputs, batch, batchIdx, dataloaderIdx);

    /// <inheritdoc />
    public override void OnTestStart(Trainer trainer, LightningModule module) => _onTestStart?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnTestEnd(Trainer trainer, LightningModule module) => _onTestEnd?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnTestEpochStart(Trainer trainer, LightningModule module) => _onTestEpochStart?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnTestEpochEnd(Trainer trainer, LightningModule module) => _onTestEpochEnd?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnTestBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) => _onTestBatchStart?.Invoke(trainer, module, batch, batchIdx, dataloaderIdx);

    /// <inheritdoc />
    public override void OnTestBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx) => _onTestBatchEnd?.Invoke(trainer, module, outputs, batch, batchIdx, dataloaderIdx);

    /// <inheritdoc />
    public override void OnPredictStart(Trainer trainer, LightningModule module) => _onPredictStart?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnPredictEnd(Trainer trainer, LightningModule module) => _onPredictEnd?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnPredictEpochStart(Trainer trainer, LightningModule module) => _onPredictEpochStart?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnPredictEpochEnd(Trainer trainer, LightningModule module) => _onPredictEpochEnd?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnPredictBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) => _onPredictBatchStart?.Invoke(trainer, module, batch, batchIdx, dataloaderIdx);

    /// <inheritdoc />
    public override void OnPredictBatchEnd(Trainer trainer, LightningModule module, Tensor outputs, object batch, int batchIdx, int dataloaderIdx) => _onPredictBatchEnd?.Invoke(trainer, module, outputs, batch, batchIdx, dataloaderIdx);

    /// <inheritdoc />
    public override void OnBeforeBackward(Trainer trainer, LightningModule module, Tensor loss) => _onBeforeBackward?.Invoke(trainer, module, loss);

    /// <inheritdoc />
    public override void OnAfterBackward(Trainer trainer, LightningModule module) => _onAfterBackward?.Invoke(trainer, module);

    /// <inheritdoc />
    public override void OnBeforeOptimizerStep(Trainer trainer, LightningModule module, Optimizer optimizer) => _onBeforeOptimizerStep?.Invoke(trainer, module, optimizer);

    /// <inheritdoc />
    public override void OnBeforeZeroGrad(Trainer trainer, LightningModule module, Optimizer optimizer) => _onBeforeZeroGrad?.Invoke(trainer, module, optimizer);

    /// <inheritdoc />
    public override void OnException(Trainer trainer, LightningModule module, Exception exception) => _onException?.Invoke(trainer, module, exception);

    /// <inheritdoc />
    public override void OnSaveCheckpoint(Trainer trainer, LightningModule module, IDictionary<string, object?> checkpoint) => _onSaveCheckpoint?.Invoke(trainer, module, checkpoint);

    /// <inheritdoc />
    public override void OnLoadCheckpoint(Trainer trainer, LightningModule module, IReadOnlyDictionary<string, object?> checkpoint) => _onLoadCheckpoint?.Invoke(trainer, module, checkpoint);
}
