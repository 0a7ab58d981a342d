using Lightning.Checkpointing;
using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>
/// Weights cross between PyTorch and C#: files PyTorch wrote (Fixtures/, made by make_fixtures.py) load into the
/// C# twin of their network and give the same outputs bit for bit; what C# writes, Python reads.
/// </summary>
[TestClass]
public sealed class PyTorchInteropTests
{
    private static string Fixture(string name) => Path.Combine(RepositoryPaths.Root, "tests", "Lightning.Runtime.Tests", "Checkpointing", "Fixtures", name);

    private static (Tensor Input, Tensor Output, Tensor OutputLightning) Io()
    {
        var io = TorchSaveFile.Read(Fixture("pytorch_io.pt"), "fixture");
        return ((Tensor)io["input"]!, (Tensor)io["output"]!, (Tensor)io["output_lightning"]!);
    }

    [TestMethod]
    public void AStateDictWrittenByPyTorchGivesIdenticalOutputs()
    {
        using var scope = NewDisposeScope();
        using var net = new FixtureNet();
        var report = net.LoadStateDict(Fixture("pytorch_state_dict.pt"));
        Assert.IsTrue(report.IsExactMatch, report.ToString());
        Assert.AreEqual(9, report.LoadedKeys.Count, "weights, biases and the batch norm's three buffers");
        net.eval();
        var (input, output, _) = Io();
        Assert.IsTrue(net.forward(input).equal(output).all().item<bool>(), "outputs differ from PyTorch's");
    }

    [TestMethod]
    public void APyTorchLightningCheckpointsStateDictLoadsWithItsModelPrefixRemoved()
    {
        using var scope = NewDisposeScope();
        using var net = new FixtureNet();
        var report = net.LoadStateDict(Fixture("pytorch_lightning.ckpt"));
        Assert.IsTrue(report.IsExactMatch, report.ToString());
        Assert.AreEqual("model.", report.StrippedPrefix);
        net.eval();
        var (input, _, output) = Io();
        Assert.IsTrue(net.forward(input).equal(output).all().item<bool>(), "outputs differ from PyTorch's");
    }

    [TestMethod]
    public void LoadFromCheckpointRebuildsAModuleFromAPyTorchLightningCheckpoint()
    {
        using var scope = NewDisposeScope();
        using var module = LightningModule.LoadFromCheckpoint<FixtureModule>(Fixture("pytorch_lightning.ckpt"));
        Assert.AreEqual(16, module.HiddenSize, "hidden_size feeds hiddenSize");
        Assert.AreEqual(0.01, module.LearningRate);
        module.eval();
        var (input, _, output) = Io();
        Assert.IsTrue(module.forward(input).equal(output).all().item<bool>(), "outputs differ from PyTorch's");
    }

    [TestMethod]
    public void AMismatchNamesTheKeysAndShapesAndChangesNothing()
    {
        using var scope = NewDisposeScope();
        using var net = new FixtureNet(hiddenSize: 12);
        var before = net.state_dict().ToDictionary(e => e.Key, e => e.Value.clone());
        var error = Assert.ThrowsExactly<CheckpointException>(() => net.LoadStateDict(Fixture("pytorch_state_dict.pt"), strict: false));
        StringAssert.Contains(error.Message, "hidden.weight is [12, 8] in the module but [16, 8] in the file");
        StringAssert.Contains(error.Message, "norm.running_mean is [12] in the module but [16] in the file");
        foreach (var (key, value) in net.state_dict())
            Assert.IsTrue(value.equal(before[key]).all().item<bool>(), $"{key} changed although loading failed");
    }

    /// <summary>Shares only <c>hidden</c> with the fixture's network.</summary>
    private sealed class PartialNet : nn.Module
    {
        private readonly TorchSharp.Modules.Linear hidden = nn.Linear(8, 16);
        private readonly TorchSharp.Modules.Linear extra = nn.Linear(16, 2);

        public PartialNet() : base(nameof(PartialNet)) => RegisterComponents();
    }

    [TestMethod]
    public void NonStrictLoadingLoadsWhatMatchesAndReportsTheRest()
    {
        using var scope = NewDisposeScope();
        using var net = new PartialNet();
        var strict = Assert.ThrowsExactly<CheckpointException>(() => net.LoadStateDict(Fixture("pytorch_state_dict.pt")));
        StringAssert.Contains(strict.Message, "Missing keys (in the module, not in the file): extra.weight, extra.bias.");
        StringAssert.Contains(strict.Message, "norm.num_batches_tracked");

        var report = net.LoadStateDict(Fixture("pytorch_state_dict.pt"), strict: false);
        CollectionAssert.AreEquivalent(new[] { "hidden.weight", "hidden.bias" }, report.LoadedKeys.ToList());
        CollectionAssert.AreEquivalent(new[] { "extra.weight", "extra.bias" }, report.MissingKeys.ToList());
        CollectionAssert.AreEquivalent(new[] { "norm.weight", "norm.bias", "norm.running_mean", "norm.running_var", "norm.num_batches_tracked", "output.weight", "output.bias" },
            report.UnexpectedKeys.ToList());
        using var reference = new FixtureNet();
        reference.LoadStateDict(Fixture("pytorch_state_dict.pt"));
        Assert.IsTrue(net.state_dict()["hidden.weight"].equal(reference.state_dict()["hidden.weight"]).all().item<bool>(), "the matching layer was loaded");
    }

    [TestMethod]
    public void StateDictsRoundTripThroughTorchSaveAndSafetensorsFiles()
    {
        using var scope = NewDisposeScope();
        var folder = TempDir.Create();
        using var source = new FixtureNet();
        source.LoadStateDict(Fixture("pytorch_state_dict.pt"));
        foreach (var file in new[] { "weights.pt", "weights.safetensors" })
        {
            var path = Path.Combine(folder, file);
            source.SaveStateDict(path);
            using var copy = new FixtureNet();
            Assert.IsTrue(copy.LoadStateDict(path).IsExactMatch, file);
            var expected = source.state_dict();
            foreach (var (key, value) in copy.state_dict())
                Assert.IsTrue(value.equal(expected[key]).all().item<bool>(), $"{key} after a round trip through {file}");
        }
    }

    [TestMethod]
    public void PythonReadsOurCheckpoint()
    {
        var python = Python.WithTorch;
        using var scope = NewDisposeScope();
        var folder = TempDir.Create();
        var checkpoint = Path.Combine(folder, "fit.ckpt");
        var options = Quiet.Options(maxEpochs: 2);
        var trainer = new Trainer(options);
        using var module = new FixtureModule();
        var (x, y) = RandomData.Rows(24, classes: 3);
        trainer.Fit(module, new TensorDataLoader(x, y, 8));
        trainer.SaveCheckpoint(checkpoint);

        // Python loads the checkpoint, checks its layout, loads the weights strictly into the PyTorch network and
        // writes back what it read, for a bit-for-bit comparison here.
        const string script = """
            import sys, torch
            sys.path.insert(0, sys.argv[3])
            from make_fixtures import Net
            ckpt = torch.load(sys.argv[1])
            assert ckpt["epoch"] == 2 and ckpt["global_step"] == 6, (ckpt["epoch"], ckpt["global_step"])
            assert ckpt["hyper_parameters"] == {"hiddenSize": 16, "learningRate": 0.01}, ckpt["hyper_parameters"]
            assert len(ckpt["optimizer_states"]) == 1 and ckpt["optimizer_states"][0]["param_groups"][0]["lr"] == 0.01
            net = Net()
            net.load_state_dict({k[len("model."):]: v for k, v in ckpt["state_dict"].items()}, strict=True)
            torch.save(ckpt["state_dict"], sys.argv[2])
            print(sorted(ckpt))
            """;
        var roundTrip = Path.Combine(folder, "from_python.pt");
        var keys = Python.Run(python, script, checkpoint, roundTrip, Path.GetDirectoryName(Fixture("make_fixtures.py"))!);
        StringAssert.Contains(keys, "'state_dict'");
        using var copy = new FixtureModule();
        Assert.IsTrue(copy.LoadStateDict(roundTrip).IsExactMatch);
        var expected = module.state_dict();
        foreach (var (key, value) in copy.state_dict())
            Assert.IsTrue(value.equal(expected[key]).all().item<bool>(), $"{key} as Python read it");
    }
}
