using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>ModelCheckpoint: Lightning's file names and folders, top-k bookkeeping, "last", versions and triggers.</summary>
[TestClass]
public sealed class ModelCheckpointTests
{
    private static string[] Files(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [TestMethod]
    public void OnByDefaultItKeepsTheLatestCheckpointUnderDefaultRootDir()
    {
        var options = Quiet.Options(2);
        options.EnableCheckpointing = true;
        using var model = new TinyModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(3));
        var folder = Path.Combine(options.DefaultRootDir!, "checkpoints");
        CollectionAssert.AreEqual(new[] { "epoch=1-step=6.ckpt" }, Files(folder));
        Assert.AreEqual(Path.Combine(folder, "epoch=1-step=6.ckpt"), trainer.CheckpointCallback!.BestModelPath);
    }

    [TestMethod]
    public void WithALoggerCheckpointsGoUnderItsVersionFolder()
    {
        var options = Quiet.Options(1);
        options.EnableCheckpointing = true;
        options.Logger = true;
        using var model = new TinyModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(2));
        Assert.AreEqual(Path.Combine(options.DefaultRootDir!, "lightning_logs", "version_0", "checkpoints"), trainer.CheckpointCallback!.Dirpath);
        CollectionAssert.AreEqual(new[] { "epoch=0-step=2.ckpt" }, Files(trainer.CheckpointCallback.Dirpath!));
    }

    [TestMethod]
    public void FastDevRunSavesNothing()
    {
        var options = Quiet.Options();
        options.EnableCheckpointing = true;
        options.FastDevRun = true;
        using var model = new TinyModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(2));
        Assert.IsNull(trainer.CheckpointCallback);
        Assert.IsFalse(Directory.Exists(Path.Combine(options.DefaultRootDir!, "checkpoints")));
    }

    [TestMethod]
    public void TopKKeepsTheBestByTheMonitoredMetric()
    {
        var folder = TempDir.Create();
        var callback = new ModelCheckpoint(dirpath: folder, filename: "{epoch}-{val_loss:.2f}", monitor: "val_loss", saveTopK: 2);
        var options = ScriptedModel.Options(5);
        options.Callbacks.Add(callback);
        using var model = new ScriptedModel(0.5, 0.3, 0.4, 0.2, 0.6);
        model.Fit(options);

        CollectionAssert.AreEqual(new[] { "epoch=1-val_loss=0.30.ckpt", "epoch=3-val_loss=0.20.ckpt" }, Files(folder));
        Assert.AreEqual(Path.Combine(folder, "epoch=3-val_loss=0.20.ckpt"), callback.BestModelPath);
        Assert.AreEqual(0.2, callback.BestModelScore!.Value, 1e-7);
        Assert.AreEqual(Path.Combine(folder, "epoch=1-val_loss=0.30.ckpt"), callback.KthBestModelPath);
        Assert.AreEqual(0.3, callback.KthValue, 1e-7);
        Assert.AreEqual(0.2, callback.CurrentScore!.Value, 1e-7, "the score of the latest save (0.6 made no top 2)");
        CollectionAssert.AreEquivalent(new[] { callback.BestModelPath, callback.KthBestModelPath }, callback.BestKModels.Keys.ToList());
    }

    [TestMethod]
    public void ModeMaxKeepsTheHighest()
    {
        var folder = TempDir.Create();
        var callback = new ModelCheckpoint(dirpath: folder, monitor: "val_loss", mode: MonitorMode.Max, saveTopK: 2);
        var options = ScriptedModel.Options(5);
        options.Callbacks.Add(callback);
        using var model = new ScriptedModel(0.5, 0.3, 0.4, 0.2, 0.6);
        model.Fit(options);
        CollectionAssert.AreEqual(new[] { "epoch=0-step=2.ckpt", "epoch=4-step=10.ckpt" }, Files(folder));
        Assert.AreEqual(Path.Combine(folder, "epoch=4-step=10.ckpt"), callback.BestModelPath);
    }

    [TestMethod]
    public void SaveTopKMinusOneKeepsEveryCheckpointAndSaveLastKeepsLastCkpt()
    {
        var folder = TempDir.Create();
        var callback = new ModelCheckpoint(dirpath: folder, monitor: "val_loss", saveTopK: -1, saveLast: true);
        var options = ScriptedModel.Options(3);
        options.Callbacks.Add(callback);
        using var model = new ScriptedModel(0.5, 0.3, 0.4);
        model.Fit(options);
        CollectionAssert.AreEqual(new[] { "epoch=0-step=2.ckpt", "epoch=1-step=4.ckpt", "epoch=2-step=6.ckpt", "last.ckpt" }, Files(folder));
        Assert.AreEqual(Path.Combine(folder, "last.ckpt"), callback.LastModelPath);
        Assert.AreEqual(Path.Combine(folder, "epoch=1-step=4.ckpt"), callback.BestModelPath);
    }

    [TestMethod]
    public void ANameInUseGetsAVersionSuffix()
    {
        var folder = TempDir.Create();
        File.WriteAllText(Path.Combine(folder, "epoch=0-step=2.ckpt"), "an older run's file");
        var callback = new ModelCheckpoint(dirpath: folder);
        var options = Quiet.Options(1);
        options.Callbacks.Add(callback);
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(2));
        CollectionAssert.AreEqual(new[] { "epoch=0-step=2-v1.ckpt", "epoch=0-step=2.ckpt" }, Files(folder));
        Assert.AreEqual("an older run's file", File.ReadAllText(Path.Combine(folder, "epoch=0-step=2.ckpt")), "the older file is not overwritten");
    }

    [TestMethod]
    public void EveryNTrainStepsSavesInsideEpochs()
    {
        var folder = TempDir.Create();
        var options = Quiet.Options(2);
        options.Callbacks.Add(new ModelCheckpoint(dirpath: folder, everyNTrainSteps: 2, saveTopK: -1));
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(3));
        CollectionAssert.AreEqual(new[] { "epoch=0-step=2.ckpt", "epoch=1-step=4.ckpt", "epoch=1-step=6.ckpt" }, Files(folder));
    }

    [TestMethod]
    public void EveryNEpochsSkipsEpochs()
    {
        var folder = TempDir.Create();
        var options = Quiet.Options(4);
        options.Callbacks.Add(new ModelCheckpoint(dirpath: folder, everyNEpochs: 2, saveTopK: -1));
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(1));
        CollectionAssert.AreEqual(new[] { "epoch=1-step=2.ckpt", "epoch=3-step=4.ckpt" }, Files(folder));
    }

    [TestMethod]
    public void SaveWeightsOnlyWritesNoTrainingState()
    {
        var folder = TempDir.Create();
        var options = Quiet.Options(1);
        options.Callbacks.Add(new ModelCheckpoint(dirpath: folder, saveWeightsOnly: true));
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(1));
        using var scope = TorchSharp.torch.NewDisposeScope();
        var checkpoint = Checkpointing.CheckpointFile.Read(Directory.GetFiles(folder).Single());
        Assert.IsTrue(checkpoint.ContainsKey("state_dict"));
        Assert.IsFalse(checkpoint.ContainsKey("optimizer_states"));
        Assert.AreEqual(true, checkpoint["weights_only"]);
    }

    [TestMethod]
    public void InvalidArgumentsAreNamed()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ModelCheckpoint(saveTopK: -2));
        var combined = Assert.ThrowsExactly<ArgumentException>(() => new ModelCheckpoint(everyNTrainSteps: 5, everyNEpochs: 1));
        StringAssert.Contains(combined.Message, "give only one of them");
        var noMonitor = Assert.ThrowsExactly<ArgumentException>(() => new ModelCheckpoint(saveTopK: 3));
        StringAssert.Contains(noMonitor.Message, "needs a monitor");
    }

    [TestMethod]
    public void ItsStateGoesIntoTheCheckpointUnderLightningsKey()
    {
        var folder = TempDir.Create();
        var callback = new ModelCheckpoint(dirpath: folder, monitor: "val_loss");
        var options = ScriptedModel.Options(2);
        options.Callbacks.Add(callback);
        using var model = new ScriptedModel(0.5, 0.3);
        model.Fit(options);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var checkpoint = Checkpointing.CheckpointFile.Read(callback.BestModelPath);
        var callbacks = (Dictionary<string, object?>)checkpoint["callbacks"]!;
        const string key = "ModelCheckpoint{'monitor': 'val_loss', 'mode': 'min', 'every_n_train_steps': 0, 'every_n_epochs': 1, 'train_time_interval': None}";
        var state = (Dictionary<string, object?>)callbacks[key]!;
        Assert.AreEqual(callback.BestModelPath, state["best_model_path"], "the path is set before saving, so the file names itself");
        Assert.AreEqual(0.3, (double)state["best_model_score"]!, 1e-7);
    }
}
