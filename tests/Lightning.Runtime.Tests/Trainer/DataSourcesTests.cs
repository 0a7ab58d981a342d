using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>Where loaders come from (arguments, data module, module hooks) and how several loaders report.</summary>
[TestClass]
public sealed class DataSourcesTests
{
    private sealed class RecordingDataModule(List<string> called) : LightningDataModule<(Tensor X, Tensor Y)>
    {
        public override void PrepareData() => called.Add("dm.PrepareData");
        public override void Setup(Stage stage) => called.Add($"dm.Setup({stage})");
        public override IEnumerable<(Tensor X, Tensor Y)>? TrainDataLoader() { called.Add("dm.TrainDataLoader"); return RandomData.Batches(2); }
        public override IEnumerable<(Tensor X, Tensor Y)>? ValDataLoader() { called.Add("dm.ValDataLoader"); return RandomData.Batches(2, seed: 1); }
        public override IEnumerable<(Tensor X, Tensor Y)>? TestDataLoader() { called.Add("dm.TestDataLoader"); return RandomData.Batches(2, seed: 2); }
        public override void Teardown(Stage stage) => called.Add($"dm.Teardown({stage})");
    }

    [TestMethod]
    public void DataModuleHooksRunInLightningsOrderAndItsLoadersWinOverTheModules()
    {
        var called = new List<string>();
        var dataModule = new RecordingDataModule(called);
        using var model = new HookedModel(called);
        var trainer = new Trainer(Quiet.Options());
        trainer.Fit(model, dataModule: dataModule);
        var dataModuleCalls = called.Where(c => c.StartsWith("dm.", StringComparison.Ordinal)).ToList();
        CollectionAssert.AreEqual(new[] { "dm.PrepareData", "dm.Setup(Fit)", "dm.ValDataLoader", "dm.TrainDataLoader", "dm.Teardown(Fit)" }, dataModuleCalls);
        Assert.IsFalse(called.Contains("TrainDataLoader"), "the module's own loader is not asked for when a data module gives one");
        Assert.IsTrue(called.IndexOf("dm.PrepareData") < called.IndexOf("PrepareData"), "the data module prepares first");
        Assert.IsTrue(called.IndexOf("dm.Setup(Fit)") < called.IndexOf("Setup(Fit)"), "and sets up first");
        Assert.AreSame(dataModule, trainer.DataModule);
    }

    [TestMethod]
    public void ExplicitLoadersWinOverTheDataModule()
    {
        var called = new List<string>();
        using var model = new TinyModel();
        new Trainer(Quiet.Options()).Fit(model, RandomData.Batches(2), RandomData.Batches(1), new RecordingDataModule(called));
        Assert.IsFalse(called.Any(c => c.EndsWith("DataLoader", StringComparison.Ordinal)), string.Join(", ", called));
    }

    [TestMethod]
    public void SeveralTestLoadersGetSuffixedMetricsAndATableColumnEach()
    {
        using var model = new TinyModel();
        IReadOnlyList<IReadOnlyDictionary<string, double>> results;
        string table;
        using (var output = new CapturedOutput())
        {
            results = new Trainer(Quiet.Options()).Test(model, [RandomData.Batches(2, seed: 1), RandomData.Batches(3, seed: 2)]);
            table = output.Out;
        }
        Assert.AreEqual(2, results.Count);
        CollectionAssert.AreEqual(new[] { "test_loss/dataloader_idx_0" }, results[0].Keys.ToList());
        CollectionAssert.AreEqual(new[] { "test_loss/dataloader_idx_1" }, results[1].Keys.ToList());
        StringAssert.Contains(table, "Test metric");
        StringAssert.Contains(table, "DataLoader 0");
        StringAssert.Contains(table, "DataLoader 1");
        StringAssert.Contains(table, "test_loss/dataloader_idx_1");
    }

    [TestMethod]
    public void BatchesMoveToTheDeviceWhateverTheirShape()
    {
        var tuple = (ones(2), (zeros(3), "label"));
        var moved = BatchTransfer.To(tuple, CPU);
        Assert.AreEqual("label", moved.Item2.Item2);
        var list = new List<Tensor> { ones(1), ones(2) };
        Assert.AreEqual(2, BatchTransfer.To(list, CPU).Count);
        var dictionary = new Dictionary<string, Tensor> { ["x"] = ones(4, 3) };
        Assert.AreEqual(4, BatchTransfer.SizeOf(BatchTransfer.To(dictionary, CPU)));
        Assert.AreEqual(2, BatchTransfer.SizeOf(new[] { ones(2, 5), ones(7) }));
        var moves = 0;
        BatchTransfer.Map((ones(1), new[] { ones(1), ones(1) }, new Dictionary<int, Tensor> { [0] = ones(1) }), t => { moves++; return t; });
        Assert.AreEqual(4, moves, "every nested tensor is visited");
    }
}
