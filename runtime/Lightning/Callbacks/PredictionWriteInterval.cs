namespace Lightning;

/// <summary>When a <see cref="BasePredictionWriter"/> writes (Lightning's <c>write_interval</c>).</summary>
public enum PredictionWriteInterval
{
    /// <summary>After every prediction batch.</summary>
    Batch,

    /// <summary>Once, at the end of the prediction epoch, with every prediction.</summary>
    Epoch,

    /// <summary>Both.</summary>
    BatchAndEpoch,
}
