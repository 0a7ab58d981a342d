using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>
/// Bad checkpoints and bad requests fail with a message that names the problem, and change nothing: not the
/// module, not the optimizer, not an existing checkpoint file.
/// </summary>
[TestClass]
public sealed class CheckpointBadInputTests
{
    /// <summary>A checkpoint of a small fit, and the folder it is in.</summary>
    private static (string Path, string Folder) SavedCheckpoint(int epochs = 1)
    {
        var folder = TempDir.Create();
        var path = Path.Combine(folder, "good.ckpt");
        var trainer = new Trainer(Quiet.Options(epochs));
        using var model = new TinyModel();
        trainer.Fit(model, RandomData.Batches(3));
        trainer.SaveCheckpoint(path);
        return (path, folder);
    }

    /// <summary>Fits from <paramref name="ckptPath"/> and returns the error, checking the module kept its weights.</summary>
    private static CheckpointException ResumeFails(string ckptPath, TinyModel? model = null)
    {
        model ??= new TinyModel();
        var before = model.Snapshot();
        var error = Assert.ThrowsExactly<CheckpointException>(() => new Trainer(Quiet.Options(2)).Fit(model, RandomData.Batches(3), ckptPath: ckptPath));
        var after = model.Snapshot();
        for (var i = 0; i < before.Count; i++) Assert.IsTrue(before[i].equal(after[i]).all().item<bool>(), "the module's weights changed although resuming failed");
        return error;
    }

    [TestMethod]
    public void ATruncatedCheckpointIsReportedAsSuch()
    {
        var (path, folder) = SavedCheckpoint();
        var bytes = File.ReadAllBytes(path);
        foreach (var length in new[] { bytes.Length / 2, bytes.Length - 30, 100 })
        {
            var truncated = Path.Combine(folder, $"truncated-{length}.ckpt");
            File.WriteAllBytes(truncated, bytes[..length]);
            var error = ResumeFails(truncated);
            StringAssert.Contains(error.Message, "is truncated or corrupted");
            StringAssert.Contains(error.Message, truncated);
        }
    }

    [TestMethod]
    public void DamageAnywhereIsReportedAndNeverLoadsADifferentModel()
    {
        var (path, folder) = SavedCheckpoint();
        using var reference = new TinyModel();
        new Trainer(Quiet.Options(2)).Fit(reference, RandomData.Batches(3), ckptPath: path);
        var expected = reference.Snapshot();
        var bytes = File.ReadAllBytes(path);
        var reported = 0;
        // Damage every stretch of the file in turn: each is either reported, or falls on bytes the reader does not need.
        for (var offset = 0; offset < bytes.Length; offset += 61)
        {
            var damaged = (byte[])bytes.Clone();
            for (var i = offset; i < Math.Min(bytes.Length, offset + 8); i++) damaged[i] ^= 0x5a;
            var file = Path.Combine(folder, "damaged.ckpt");
            File.WriteAllBytes(file, damaged);
            using var model = new TinyModel();
            try
            {
                new Trainer(Quiet.Options(2)).Fit(model, RandomData.Batches(3), ckptPath: file);
            }
            catch (CheckpointException error)
            {
                StringAssert.Contains(error.Message, file, $"bytes {offset}..{offset + 8}: the message names the file");
                reported++;
                continue;
            }
            var resumed = model.Snapshot();
            for (var i = 0; i < expected.Count; i++)
                Assert.IsTrue(expected[i].equal(resumed[i]).all().item<bool>(), $"damage at bytes {offset}..{offset + 8} was loaded as a different model");
        }
        Assert.IsTrue(reported > bytes.Length / 61 / 2, $"most damage is reported ({reported} of {bytes.Length / 61 + 1})");
    }

    [TestMethod]
    public void FilesOfAnotherFormatAreNamed()
    {
        var folder = TempDir.Create();
        var cases = new Dictionary<string, (byte[] Content, string Expected)>
        {
            ["empty.ckpt"] = ([], "the file is empty"),
            ["notes.ckpt"] = ("some text, not a checkpoint"u8.ToArray(), "does not start like one"),
            ["legacy.ckpt"] = ([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20], "PyTorch's legacy format"),
            ["weights.ckpt"] = ([.. BitConverter.GetBytes(2UL), .. "{}"u8.ToArray()], "looks like a safetensors file"),
        };
        foreach (var (name, (content, expected)) in cases)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllBytes(path, content);
            var error = ResumeFails(path);
            StringAssert.Contains(error.Message, expected, name);
        }

        var missing = ResumeFails(Path.Combine(folder, "missing.ckpt"));
        StringAssert.Contains(missing.Message, "does not exist");
    }

    [TestMethod]
    public void ATorchSaveFileThatIsNotACheckpointIsNamed()
    {
        var path = Path.Combine(TempDir.Create(), "weights.pt");
        using var other = new TinyModel();
        other.SaveStateDict(path);
        var error = ResumeFails(path);
        StringAssert.Contains(error.Message, "is a torch.save file but not a checkpoint");
        StringAssert.Contains(error.Message, "module.LoadStateDict(path)");
    }

    [TestMethod]
    public void ACheckpointOfAnotherModuleNamesTheKeysAndChangesNothing()
    {
        var (path, _) = SavedCheckpoint();
        using var wider = new TinyModel(features: 8, classes: 5);
        var error = ResumeFails(path, wider);
        StringAssert.Contains(error.Message, "do not fit TinyModel");
        StringAssert.Contains(error.Message, "is [5, 8] in the module but [2, 8] in the file");
    }

    [TestMethod]
    public void ACheckpointWithAnotherOptimizerIsRefusedAndChangesNothing()
    {
        var (path, _) = SavedCheckpoint();
        using var model = new AdamModel();
        var error = ResumeFails(path, model);
        StringAssert.Contains(error.Message, "Optimizer 0");
        StringAssert.Contains(error.Message, "is a SGD, but ConfigureOptimizers returned a Adam");
    }

    private sealed class AdamModel : TinyModel
    {
        public override OptimizerConfig? ConfigureOptimizers() => optim.Adam(parameters());
    }

    [TestMethod]
    public void ACheckpointFromANewerFormatAsksForAnUpdate()
    {
        var (path, folder) = SavedCheckpoint();
        var newer = Path.Combine(folder, "newer.ckpt");
        using (NewDisposeScope())
        {
            var content = Checkpointing.TorchSaveFile.Read(path, "checkpoint");
            content["format_version"] = 99L;
            Checkpointing.CheckpointFile.Write(newer, content);
        }
        var error = ResumeFails(newer);
        StringAssert.Contains(error.Message, "format 99");
        StringAssert.Contains(error.Message, "Update Lightning.Runtime");
    }

    [TestMethod]
    public void AWeightsOnlyCheckpointCannotBeResumed()
    {
        var folder = TempDir.Create();
        var path = Path.Combine(folder, "weights-only.ckpt");
        var trainer = new Trainer(Quiet.Options());
        using var model = new TinyModel();
        trainer.Fit(model, RandomData.Batches(2));
        trainer.SaveCheckpoint(path, weightsOnly: true);
        var error = ResumeFails(path);
        StringAssert.Contains(error.Message, "holds only weights");

        // Its weights still serve evaluation.
        using var other = new TinyModel();
        new Trainer(Quiet.Options()).Test(other, RandomData.Batches(1), ckptPath: path, verbose: false);
        Assert.IsTrue(other.Layer.weight!.equal(model.Layer.weight!).all().item<bool>());
    }

    [TestMethod]
    public void BestWithoutACheckpointCallbackIsAnError()
    {
        using var model = new TinyModel();
        var error = Assert.ThrowsExactly<CheckpointException>(() => new Trainer(Quiet.Options()).Test(model, RandomData.Batches(1), ckptPath: "best", verbose: false));
        StringAssert.Contains(error.Message, "needs a ModelCheckpoint callback");
    }

    [TestMethod]
    public void AFailedSaveLeavesTheExistingCheckpointAndNoTemporaryFile()
    {
        var (path, folder) = SavedCheckpoint();
        var before = File.ReadAllBytes(path);
        var trainer = new Trainer(Quiet.Options());
        using var model = new UnsavableModel();
        trainer.Fit(model, RandomData.Batches(2));
        var error = Assert.ThrowsExactly<ArgumentException>(() => trainer.SaveCheckpoint(path));
        StringAssert.Contains(error.Message, "The checkpoint entry 'when' holds a DateTime");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(path), "the existing checkpoint changed");
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(folder), "no temporary file is left");
    }

    private sealed class UnsavableModel : TinyModel
    {
        public override void OnSaveCheckpoint(IDictionary<string, object?> checkpoint) => checkpoint["when"] = DateTime.UnixEpoch;
    }

    [TestMethod]
    public void AMonitorThatIsNeverLoggedIsAnError()
    {
        var options = Quiet.Options(2);
        options.Callbacks.Add(new ModelCheckpoint(dirpath: TempDir.Create(), monitor: "val_los"));
        using var model = new TinyModel();
        var error = Assert.ThrowsExactly<MissingMetricException>(() => new Trainer(options).Fit(model, RandomData.Batches(2), RandomData.Batches(1)));
        StringAssert.Contains(error.Message, "ModelCheckpoint(monitor: \"val_los\") found no metric 'val_los'");
        StringAssert.Contains(error.Message, "val_loss");

        var stopping = Quiet.Options(2);
        stopping.Callbacks.Add(new EarlyStopping("val_los"));
        var early = Assert.ThrowsExactly<MissingMetricException>(() => new Trainer(stopping).Fit(model, RandomData.Batches(2), RandomData.Batches(1)));
        StringAssert.Contains(early.Message, "EarlyStopping(monitor: \"val_los\") found no metric 'val_los'");
    }

    /// <summary>Counts batches; the count is its state.</summary>
    private sealed class Counter : Callback
    {
        public long Batches { get; set; }

        public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx) => Batches++;

        public override IDictionary<string, object?> StateDict() => new Dictionary<string, object?> { ["batches"] = Batches };

        public override void LoadStateDict(IReadOnlyDictionary<string, object?> state) => Batches = (long)state["batches"]!;
    }

    /// <summary>Has state, and rejects a checkpoint's (version 1) while accepting its own (version 2).</summary>
    private sealed class Picky : Callback
    {
        public long Version { get; init; } = 1;

        public override IDictionary<string, object?> StateDict() => new Dictionary<string, object?> { ["version"] = Version };

        public override void LoadStateDict(IReadOnlyDictionary<string, object?> state)
        {
            if ((long)state["version"]! != 2) throw new InvalidDataException("unsupported state version");
        }
    }

    [TestMethod]
    public void ARestoreThatFailsPartWayIsUndone()
    {
        var folder = TempDir.Create();
        var path = Path.Combine(folder, "state.ckpt");
        var options = Quiet.Options(1);
        options.Callbacks.Add(new Counter());
        options.Callbacks.Add(new Picky());
        var trainer = new Trainer(options);
        using var model = new TinyModel();
        trainer.Fit(model, RandomData.Batches(3));
        trainer.SaveCheckpoint(path);

        var counter = new Counter { Batches = 100 };
        var resumed = Quiet.Options(2);
        resumed.Callbacks.Add(counter);
        resumed.Callbacks.Add(new Picky { Version = 2 });
        using var fresh = new TinyModel();
        var before = fresh.Snapshot();
        var error = Assert.ThrowsExactly<CheckpointException>(() => new Trainer(resumed).Fit(fresh, RandomData.Batches(3), ckptPath: path));
        StringAssert.Contains(error.Message, "unsupported state version");
        StringAssert.Contains(error.Message, "are as they were");
        Assert.AreEqual(100, counter.Batches, "the state the first callback had loaded was put back");
        var after = fresh.Snapshot();
        for (var i = 0; i < before.Count; i++) Assert.IsTrue(before[i].equal(after[i]).all().item<bool>(), "the weights did not change");
    }
}
