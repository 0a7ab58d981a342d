using Lightning.Strategies;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Loops;

/// <summary>
/// Puts the predictions every rank made on its shard of a prediction loader back into one list in the data set's
/// order, on every rank, as one process would have made them: rank <c>r</c>'s row <c>i</c> is row <c>i·W + r</c> of
/// the epoch's order (see <see cref="IShardable"/>), and the rows past the data set's end are the padding that made the
/// shards equal, which is dropped. The rows are then cut into batches of the loader's batch size.
/// </summary>
internal static class PredictionGather
{
    /// <summary>
    /// The predictions of all ranks for <paramref name="loader"/>, given this rank's <paramref name="predictions"/> (one per
    /// batch, rows along the first dimension), or this rank's own where they cannot be put in order: a loader that does
    /// not tell its length, or predictions that are not one row per example. Disposes what it replaces.
    /// </summary>
    public static IReadOnlyList<Tensor> Gather<TBatch>(Strategy strategy, IEnumerable<TBatch> loader, IReadOnlyList<Tensor> predictions, int dataloaderIdx)
    {
        var world = strategy.WorldSize;
        var rows = loader is IRowBatches sized ? sized.Rows : -1;
        var shardRows = rows < 0 ? -1 : DataShard.Of(strategy.GlobalRank, world).Rows(rows);
        var expected = rows < 0 ? -1 : Math.Min(shardRows, predictions.Count * (long)((IRowBatches)loader).BatchSize);
        var perRow = strategy.ReduceBooleanDecision(rows >= 0 && OneRowPerExample(predictions, expected));
        if (!perRow)
        {
            if (strategy.IsGlobalZero)
                Output.Warn(
                    $"Trainer.Predict on {world} processes returns each rank's own predictions for prediction loader {dataloaderIdx}: " +
                    (rows < 0
                        ? $"{loader.GetType().Name} does not say how many rows it has, so the padding of its shards cannot be dropped. Use TensorDataLoader or PrefetchingDataLoader to get them gathered in order."
                        : $"its predictions are not one row per example (a tensor of the batch's rows along the first dimension). Return one such tensor from PredictStep to get them gathered in order."));
            return predictions;
        }
        using var scope = NewDisposeScope();
        var local = predictions.Count == 0 ? null : cat(predictions.ToList());
        foreach (var prediction in predictions) prediction.Dispose();
        if (local is null) return [];
        var gathered = strategy.AllGather(local);
        // [rank, row, ...] to [row, rank, ...]: row i of rank r lands at i·W + r.
        var ordered = gathered.transpose(0, 1).reshape([world * local.shape[0], .. local.shape.Skip(1)]);
        var kept = ordered.narrow(0, 0, Math.Min(rows, ordered.shape[0]));
        return kept.split(((IRowBatches)loader).BatchSize).Select(batch => batch.clone().MoveToOuterDisposeScope()).ToList();
    }

    /// <summary>Whether <paramref name="predictions"/> stack to <paramref name="expected"/> rows of one shape and type.</summary>
    private static bool OneRowPerExample(IReadOnlyList<Tensor> predictions, long expected)
    {
        if (predictions.Any(p => p.dim() == 0)) return false;
        if (predictions.Count == 0) return expected == 0;
        var first = predictions[0];
        return predictions.Sum(p => p.shape[0]) == expected
            && predictions.All(p => p.dtype == first.dtype && p.shape.Skip(1).SequenceEqual(first.shape.Skip(1)));
    }
}
