using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>ModelPruning's L1-unstructured pruning: which weights, how many, and that they stay pruned.</summary>
[TestClass]
public sealed class ModelPruningTests
{
    private static double[] Flat(TinyModel model) =>
        model.parameters().SelectMany(p => p.detach().to(ScalarType.Float64).flatten().data<double>().ToArray()).ToArray();

    [TestMethod]
    public void GlobalPruningZeroesTheSmallestRemainingWeightsAndKeepsThemZero()
    {
        var beforePruning = new List<double[]>();
        var options = Quiet.Options(2);
        options.Callbacks.Add(new LambdaCallback(onTrainEpochEnd: (_, module) => beforePruning.Add(Flat((TinyModel)module))));
        var pruning = new ModelPruning(amount: 0.5);
        options.Callbacks.Add(pruning);
        options.Callbacks.Add(new LambdaCallback(onTrainEpochEnd: (_, module) => beforePruning.Add(Flat((TinyModel)module))));
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(3));

        // [before, after] pruning for each epoch; 18 weights: 9 pruned after epoch 0, then 4 of the 9 left (4.5 rounded to even).
        var (before0, after0, before1, after1) = (beforePruning[0], beforePruning[1], beforePruning[2], beforePruning[3]);
        var pruned0 = Enumerable.Range(0, 18).Where(i => after0[i] == 0).ToList();
        Assert.AreEqual(9, pruned0.Count);
        var threshold = pruned0.Max(i => Math.Abs(before0[i]));
        Assert.IsTrue(Enumerable.Range(0, 18).Except(pruned0).All(i => Math.Abs(before0[i]) >= threshold), "the nine smallest magnitudes");
        Assert.IsTrue(pruned0.All(i => before1[i] == 0), "pruned weights stay zero while training goes on");
        Assert.IsTrue(Enumerable.Range(0, 18).Except(pruned0).Any(i => before1[i] != after0[i]), "the others trained");
        Assert.AreEqual(13, after1.Count(v => v == 0));
        Assert.AreEqual(13.0 / 18, pruning.Sparsity, 1e-12);
        CollectionAssert.AreEqual(after1, Flat(model));
    }

    [TestMethod]
    public void EachParameterAloneAndOnlyTheNamedKind()
    {
        var options = Quiet.Options(1);
        options.Callbacks.Add(new ModelPruning(amount: 0.25, parameterNames: ["weight"], useGlobalUnstructured: false));
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(2));
        Assert.AreEqual(4, model.Layer.weight!.detach().eq(0).sum().item<long>(), "a quarter of 16");
        Assert.AreEqual(0, model.Layer.bias!.detach().eq(0).sum().item<long>(), "the bias is not pruned");
    }

    [TestMethod]
    public void AResumedFitKeepsTheMasks()
    {
        var folder = TempDir.Create();
        var first = Quiet.Options(1);
        first.Callbacks.Add(new ModelPruning(amount: 0.5));
        first.Callbacks.Add(new ModelCheckpoint(dirpath: folder, saveLast: true));
        using var model = new TinyModel();
        new Trainer(first).Fit(model, RandomData.Batches(2));
        var zeros = Flat(model).Select((v, i) => (v, i)).Where(p => p.v == 0).Select(p => p.i).ToList();

        var second = Quiet.Options(2);
        var pruning = new ModelPruning(epoch => 0);
        second.Callbacks.Add(pruning);
        new Trainer(second).Fit(model, RandomData.Batches(2), ckptPath: Path.Combine(folder, "last.ckpt"));
        var after = Flat(model);
        Assert.IsTrue(zeros.All(i => after[i] == 0), "the restored masks still hold the weights at zero");
        Assert.AreEqual(0.5, pruning.Sparsity, 1e-12);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ModelPruning(amount: 1.5)).Message, "between 0 and 1");
    }
}
