using Lightning.Hooks;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Loops;

/// <summary>
/// Inference over the prediction loaders (Lightning's <c>_PredictionLoop</c>); returns every batch's prediction. With
/// several processes, each predicts its shard and every rank returns all of them in the data set's order (<see cref="PredictionGather"/>).
/// </summary>
internal sealed class PredictionLoop<TBatch>
{
    private readonly Trainer _trainer;
    private readonly LightningModule<TBatch> _module;
    private readonly DataSource<TBatch> _data;

    public PredictionLoop(Trainer trainer, LightningModule<TBatch> module, DataSource<TBatch> data)
    {
        _trainer = trainer;
        _module = module;
        _data = data;
    }

    /// <summary>The predictions, detached and owned by the caller (dispose them when done).</summary>
    public IReadOnlyList<Tensor> Run(string? ckptPath)
    {
        var t = _trainer;
        var module = _module;
        if (ckptPath is not null) Checkpointing.CheckpointConnector.RestoreWeights(t, module, ckptPath);
        module.zero_grad();
        var loaders = _data.Predict();
        if (loaders.Count == 0)
            throw new InvalidOperationException(
                $"Trainer.Predict found no data: pass dataloaders, give a dataModule, or override {module.GetType().Name}.PredictDataLoader().");
        var limits = loaders.Select(l => Limits.Predict(t, l)).ToList();
        var lengths = loaders.Select(BatchCounter.Count).ToList();
        t.NumPredictBatches = BatchCounter.WithinLimits(lengths, limits);
        t.State.Stage = RunningStage.Predicting;

        var mode = new ModuleMode();
        mode.Capture(module);
        t.Hooks.Run(HookNames.OnPredictModelEval, module.OnPredictModelEval);
        t.Hooks.Call(HookNames.OnPredictStart, c => c.OnPredictStart(t, module), module.OnPredictStart);
        t.Hooks.Call(HookNames.OnPredictEpochStart, c => c.OnPredictEpochStart(t, module), module.OnPredictEpochStart);

        var predictions = new List<Tensor>();
        using (torch.inference_mode())
        {
            for (var dl = 0; dl < loaders.Count; dl++)
            {
                var mine = new List<Tensor>();
                using (var batches = new BatchIterator<TBatch>(loaders[dl], lengths[dl], limits[dl], $"prediction loader {dl}"))
                {
                    while (batches.TryNext(out var batch, out _))
                        mine.Add(RunBatch(batch, batches.Index - 1, dl));
                }
                predictions.AddRange(_data.IsSharded(loaders[dl]) ? PredictionGather.Gather(t.Strategy, loaders[dl], mine, dl) : mine);
            }
        }

        t.Hooks.Call(HookNames.OnPredictEpochEnd, c => c.OnPredictEpochEnd(t, module), module.OnPredictEpochEnd);
        t.Hooks.Call(HookNames.OnPredictEnd, c => c.OnPredictEnd(t, module), module.OnPredictEnd);
        mode.Restore();
        return predictions;
    }

    private Tensor RunBatch(TBatch batch, int batchIdx, int dl)
    {
        var t = _trainer;
        var module = _module;
        using var current = BatchScope<TBatch>.Open(t, module, batch, batchIdx, dl);
        var onDevice = current.Batch;
        t.Hooks.Call(HookNames.OnPredictBatchStart, c => c.OnPredictBatchStart(t, module, onDevice!, batchIdx, dl), () => module.OnPredictBatchStart(onDevice, batchIdx, dl));
        var prediction = t.Hooks.Run(HookNames.PredictStep, () =>
        {
            using (t.Precision.ForwardContext())
                return module.PredictStep(onDevice, batchIdx, dl);
        });
        t.Hooks.Call(HookNames.OnPredictBatchEnd, c => c.OnPredictBatchEnd(t, module, prediction, onDevice!, batchIdx, dl), () => module.OnPredictBatchEnd(prediction, onDevice, batchIdx, dl));
        return prediction.detach().MoveToOuterDisposeScope();
    }
}
