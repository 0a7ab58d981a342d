namespace Lightning.Bench.Measurement;

/// <summary>Resident memory sampled every <c>every</c> steps, as (step, bytes) pairs.</summary>
internal sealed class RssSampler(int every)
{
    public List<(long Step, long Bytes)> Samples { get; } = [];

    public void AfterStep(long step)
    {
        if (step % every == 0) Samples.Add((step, Rss.Current()));
    }
}
