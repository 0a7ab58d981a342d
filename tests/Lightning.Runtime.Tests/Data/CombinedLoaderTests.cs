using Lightning.Tests.Support;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests.Data;

/// <summary>CombinedLoader's four modes, as Lightning's, and a fit on two training loaders at once.</summary>
[TestClass]
public sealed class CombinedLoaderTests
{
    private static readonly int[] Short = [10, 11];
    private static readonly int[] Long = [20, 21, 22];

    private static List<string> Walk(CombinedLoaderMode mode) =>
        [.. new CombinedLoader<int>([Short, Long], mode).Select(b => string.Join(",", b.OrderBy(e => e.Key).Select(e => $"{e.Key}:{e.Value}")))];

    [TestMethod]
    public void MaxSizeCycleStartsShorterLoadersAgainUntilTheLongestEnds() =>
        CollectionAssert.AreEqual(new[] { "0:10,1:20", "0:11,1:21", "0:10,1:22" }, Walk(CombinedLoaderMode.MaxSizeCycle));

    [TestMethod]
    public void MinSizeStopsWithTheShortest() =>
        CollectionAssert.AreEqual(new[] { "0:10,1:20", "0:11,1:21" }, Walk(CombinedLoaderMode.MinSize));

    [TestMethod]
    public void MaxSizeLeavesOutALoaderThatEnded() =>
        CollectionAssert.AreEqual(new[] { "0:10,1:20", "0:11,1:21", "1:22" }, Walk(CombinedLoaderMode.MaxSize));

    [TestMethod]
    public void SequentialGivesOneLoaderAfterTheOther() =>
        CollectionAssert.AreEqual(new[] { "0:10", "0:11", "1:20", "1:21", "1:22" }, Walk(CombinedLoaderMode.Sequential));

    [TestMethod]
    [DataRow(CombinedLoaderMode.MaxSizeCycle, 3)]
    [DataRow(CombinedLoaderMode.MinSize, 2)]
    [DataRow(CombinedLoaderMode.MaxSize, 3)]
    [DataRow(CombinedLoaderMode.Sequential, 5)]
    public void CountIsTheNumberOfCombinedBatches(CombinedLoaderMode mode, int count)
    {
        var loader = new CombinedLoader<int>([Short, Long], mode);
        Assert.AreEqual(count, loader.Count);
        Assert.AreEqual(count, loader.Count());
    }

    [TestMethod]
    public void ARankGetsItsPartOfEachLoader()
    {
        TensorDataLoader Rows(int n) => new(zeros(n, 2), zeros(n, dtype: ScalarType.Int64), batchSize: 2);
        var loader = new CombinedLoader<(Tensor X, Tensor Y)>([Rows(8), Rows(4)]);
        loader.SetShard(rank: 1, worldSize: 2);
        Assert.AreEqual(2, loader.Count, "rank 1 of 2 gets 4 of the longer loader's 8 rows, in 2 batches");
        Assert.AreEqual(2, loader.Count());
    }

    /// <summary>Trains on a batch from each of two loaders per step, recording which loaders each step saw.</summary>
    private sealed class TwoSets : LightningModule<Dictionary<int, (Tensor X, Tensor Y)>>
    {
        private readonly TorchSharp.Modules.Linear _layer = Linear(8, 2);

        public TwoSets() => RegisterComponents();

        public List<int> Seen { get; } = [];

        public override StepOutput? TrainingStep(Dictionary<int, (Tensor X, Tensor Y)> batch, int batchIdx)
        {
            Seen.Add(batch.Count);
            return batch.Values.Select(b => functional.cross_entropy(_layer.forward(b.X), b.Y)).Aggregate((a, b) => a + b);
        }

        public override OptimizerConfig ConfigureOptimizers() => optim.SGD(parameters(), 0.1);
    }

    [TestMethod]
    public void FitTrainsOnCombinedBatches()
    {
        using var model = new TwoSets();
        var trainer = new Trainer(Quiet.Options());
        trainer.Fit(model, new CombinedLoader<(Tensor X, Tensor Y)>([RandomData.Batches(2, seed: 1), RandomData.Batches(3, seed: 2)]));
        Assert.AreEqual(3, trainer.NumTrainingBatches);
        CollectionAssert.AreEqual(new[] { 2, 2, 2 }, model.Seen, "a batch of each loader every step, the shorter one cycled");
        Assert.AreEqual(3L, trainer.GlobalStep);
    }
}
