using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>
/// Where checkpoints happen among the hooks (Lightning's test_hooks order), what the save and load hooks see, and
/// "best" and "last" for the other entry points.
/// </summary>
[TestClass]
public sealed class CheckpointHooksTests
{
    /// <summary>Records its checkpoint hooks and adds an entry of its own.</summary>
    private sealed class RecordingModel(List<string> called) : TinyModel
    {
        public override void OnTrainEpochEnd() => called.Add("OnTrainEpochEnd");
        public override void OnSaveCheckpoint(IDictionary<string, object?> checkpoint)
        {
            called.Add($"OnSaveCheckpoint(epoch {checkpoint["epoch"]}, step {checkpoint["global_step"]})");
            checkpoint["my_entry"] = 42;
        }
        public override void OnLoadCheckpoint(IReadOnlyDictionary<string, object?> checkpoint) => called.Add($"OnLoadCheckpoint(my_entry {checkpoint["my_entry"]})");
        public override void OnTrainEnd() => called.Add("OnTrainEnd");
    }

    private static LambdaCallback Recorder(List<string> called) => new(
        onTrainEpochEnd: (_, _) => called.Add("Callback.OnTrainEpochEnd"),
        onSaveCheckpoint: (_, _, checkpoint) => called.Add($"Callback.OnSaveCheckpoint({checkpoint.ContainsKey("optimizer_states")})"),
        onLoadCheckpoint: (_, _, _) => called.Add("Callback.OnLoadCheckpoint"),
        onTrainEnd: (_, _) => called.Add("Callback.OnTrainEnd"));

    [TestMethod]
    public void TheCheckpointIsSavedAfterTheEpochEndHooksAndLoadedBeforeFitting()
    {
        var folder = TempDir.Create();
        var called = new List<string>();
        var options = Quiet.Options(1);
        options.Callbacks.Add(Recorder(called));
        options.Callbacks.Add(new ModelCheckpoint(dirpath: folder));
        using var model = new RecordingModel(called);
        new Trainer(options).Fit(model, RandomData.Batches(2));
        CollectionAssert.AreEqual(new[]
        {
            "Callback.OnTrainEpochEnd", "OnTrainEpochEnd",
            "Callback.OnSaveCheckpoint(True)", "OnSaveCheckpoint(epoch 0, step 2)",
            "Callback.OnTrainEnd", "OnTrainEnd",
        }, called);

        called.Clear();
        var resumed = Quiet.Options(2);
        resumed.Callbacks.Add(Recorder(called));
        using var next = new RecordingModel(called);
        new Trainer(resumed).Fit(next, RandomData.Batches(2), ckptPath: Directory.GetFiles(folder).Single());
        CollectionAssert.AreEqual(new[] { "OnLoadCheckpoint(my_entry 42)", "Callback.OnLoadCheckpoint" }, called.Take(2).ToList(),
            "the module's hook first, then the callbacks', as in Lightning");
    }

    [TestMethod]
    public void TestValidateAndPredictLoadBestAndLastWeights()
    {
        var folder = TempDir.Create();
        var options = ScriptedModel.Options(3);
        var callback = new ModelCheckpoint(dirpath: folder, monitor: "val_loss", saveLast: true);
        options.Callbacks.Add(callback);
        using var model = new ScriptedModel(0.5, 0.1, 0.4);
        var trainer = model.Fit(options);
        var finalWeights = model.Snapshot();

        trainer.Test(model, RandomData.Batches(1), ckptPath: "best", verbose: false);
        Assert.AreEqual(callback.BestModelPath, trainer.CkptPath);
        StringAssert.Contains(trainer.CkptPath, "epoch=1-step=4.ckpt");
        using (var best = new TinyModel())
        {
            best.LoadStateDict(callback.BestModelPath);
            Assert.IsTrue(model.Layer.weight!.equal(best.Layer.weight!).all().item<bool>(), "Test ran with the best weights");
        }

        trainer.Validate(model, RandomData.Batches(1), ckptPath: "last", verbose: false);
        Assert.AreEqual(callback.LastModelPath, trainer.CkptPath);
        Assert.IsTrue(model.Layer.weight!.equal(finalWeights[0]).all().item<bool>(), "the last checkpoint holds the final weights");

        var predictions = trainer.Predict(model, RandomData.Batches(1), ckptPath: callback.BestModelPath);
        Assert.AreEqual(1, predictions.Count);
    }

    [TestMethod]
    public void LastWithoutACheckpointStartsFresh()
    {
        var options = Quiet.Options(1);
        options.Callbacks.Add(new ModelCheckpoint(dirpath: TempDir.Create()));
        using var model = new TinyModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(2), ckptPath: "last");
        Assert.IsNull(trainer.CkptPath);
        Assert.AreEqual(2, trainer.GlobalStep);
    }

    [TestMethod]
    public void ResumingFromLastContinuesAFitExactly()
    {
        // SGD with momentum: its buffers only come into being on load, and must outlive the restore.
        static List<Tensor> FitMomentum(int epochs, string? folder, string? ckptPath)
        {
            Trainer.SeedEverything(3);
            var options = Quiet.Options(epochs);
            options.Deterministic = true;
            if (folder is not null) options.Callbacks.Add(new ModelCheckpoint(dirpath: folder, saveLast: true));
            using var model = new MomentumModel();
            var (x, y) = RandomData.Rows(40);
            new Trainer(options).Fit(model, new TensorDataLoader(x, y, 8, shuffle: true), ckptPath: ckptPath);
            return model.Snapshot();
        }

        var straight = FitMomentum(4, null, null);
        var folder = TempDir.Create();
        FitMomentum(2, folder, null);
        var resumed = FitMomentum(4, folder, "last");
        for (var i = 0; i < straight.Count; i++) Assert.IsTrue(straight[i].equal(resumed[i]).all().item<bool>(), $"parameter {i}");
    }

    private sealed class MomentumModel : TinyModel
    {
        public override OptimizerConfig? ConfigureOptimizers() => optim.SGD(parameters(), 0.1, momentum: 0.9);
    }

    [TestMethod]
    public void LoadFromCheckpointRebuildsTheModuleFromItsHyperparameters()
    {
        var folder = TempDir.Create();
        var options = Quiet.Options(1);
        var callback = new ModelCheckpoint(dirpath: folder);
        options.Callbacks.Add(callback);
        using var model = new DigitsClassifier(hiddenSize: 24, learningRate: 0.02);
        var (train, _, _) = Digits.Split();
        new Trainer(options).Fit(model, new TensorDataLoader(train.X[..64], train.Y[..64], 32));

        using var loaded = LightningModule.LoadFromCheckpoint<DigitsClassifier>(callback.BestModelPath);
        Assert.AreEqual(24, loaded.HiddenSize);
        Assert.AreEqual(0.02, loaded.LearningRate);
        var expected = model.state_dict();
        foreach (var (key, value) in loaded.state_dict())
            Assert.IsTrue(value.equal(expected[key]).all().item<bool>(), key);

        var error = Assert.ThrowsExactly<CheckpointException>(() => LightningModule.LoadFromCheckpoint<NeedsWidth>(callback.BestModelPath));
        StringAssert.Contains(error.Message, "its constructor needs width");
        StringAssert.Contains(error.Message, "hiddenSize, learningRate");
    }

    private sealed class NeedsWidth : TinyModel
    {
        public NeedsWidth(int width) : base(width)
        {
        }
    }

    [TestMethod]
    public void StrictLoadingFalseLoadsWhatMatches()
    {
        var folder = TempDir.Create();
        var options = Quiet.Options(1);
        var callback = new ModelCheckpoint(dirpath: folder);
        options.Callbacks.Add(callback);
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(1));

        using var extended = new ExtendedModel();
        Assert.ThrowsExactly<CheckpointException>(() => new Trainer(Quiet.Options()).Test(extended, RandomData.Batches(1), ckptPath: callback.BestModelPath, verbose: false));
        extended.StrictLoading = false;
        new Trainer(Quiet.Options()).Test(extended, RandomData.Batches(1), ckptPath: callback.BestModelPath, verbose: false);
        Assert.IsTrue(extended.Layer.weight!.equal(model.Layer.weight!).all().item<bool>());
    }

    private sealed class ExtendedModel : TinyModel
    {
        private readonly TorchSharp.Modules.Linear _head = nn.Linear(2, 2);

        public ExtendedModel() => RegisterComponents();

        public override StepOutput? TestStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            Log("test_loss", nn.functional.cross_entropy(_head.forward(forward(batch.X)), batch.Y));
            return null;
        }
    }

    /// <summary>Counts the epochs it served; the count is its checkpointed state.</summary>
    private sealed class CountingData : LightningDataModule<(Tensor X, Tensor Y)>
    {
        public long EpochsServed { get; private set; }

        public override IEnumerable<(Tensor X, Tensor Y)>? TrainDataLoader()
        {
            EpochsServed++;
            return RandomData.Batches(2);
        }

        public override IDictionary<string, object?> StateDict() => new Dictionary<string, object?> { ["epochs_served"] = EpochsServed };

        public override void LoadStateDict(IReadOnlyDictionary<string, object?> state) => EpochsServed = (long)state["epochs_served"]!;
    }

    [TestMethod]
    public void TheDataModulesStateIsSavedAndRestored()
    {
        var folder = TempDir.Create();
        var options = Quiet.Options(2);
        options.ReloadDataloadersEveryNEpochs = 1;
        options.Callbacks.Add(new ModelCheckpoint(dirpath: folder, saveLast: true));
        using var model = new TinyModel();
        new Trainer(options).Fit(model, dataModule: new CountingData());

        var data = new CountingData();
        var resumed = Quiet.Options(3);
        resumed.ReloadDataloadersEveryNEpochs = 1;
        new Trainer(resumed).Fit(model, dataModule: data, ckptPath: Path.Combine(folder, "last.ckpt"));
        Assert.AreEqual(4, data.EpochsServed, "2 restored from the checkpoint, then the resumed fit's first loader and the third epoch's reload");
    }

    [TestMethod]
    public void TheLossScalersStateIsSavedAndRestored()
    {
        var folder = TempDir.Create();
        var options = Quiet.Options(2);
        options.Precision = "16-mixed";
        options.Callbacks.Add(new ModelCheckpoint(dirpath: folder, saveLast: true));
        using var model = new TinyModel();
        Float16OnCpu.Trainer(options).Fit(model, RandomData.Batches(3));

        // A scale other than the initial one, to tell a restored scaler from a fresh one.
        var edited = Path.Combine(folder, "edited.ckpt");
        using (NewDisposeScope())
        {
            var checkpoint = Checkpointing.CheckpointFile.Read(Path.Combine(folder, "last.ckpt"));
            var precision = (Dictionary<string, object?>)checkpoint["precision_plugin"]!;
            Assert.AreEqual("16-mixed", precision["name"]);
            ((Dictionary<string, object?>)precision["state"]!)["scale"] = 1024.0;
            Checkpointing.CheckpointFile.Write(edited, checkpoint);
        }

        var scales = new List<double>();
        var resumed = Quiet.Options(3);
        resumed.Precision = "16-mixed";
        resumed.Callbacks.Add(new LambdaCallback(onTrainStart: (t, _) => scales.Add((double)t.Precision.StateDict()["scale"]!)));
        Float16OnCpu.Trainer(resumed).Fit(model, RandomData.Batches(3), ckptPath: edited);
        CollectionAssert.AreEqual(new[] { 1024.0 }, scales, "training went on with the checkpoint's loss scale");
    }
}
