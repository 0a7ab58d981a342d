using Lightning.Tests.Support;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests;

/// <summary>BackboneFinetuning: frozen until its epoch, then trained in a group of its own, and resumable.</summary>
[TestClass]
public sealed class BackboneFinetuningTests
{
    private sealed class BackboneModel : LightningModule<(Tensor X, Tensor Y)>
    {
        public BackboneModel()
        {
            Backbone = Linear(8, 8);
            Head = Linear(8, 2);
            RegisterComponents();
        }

        public Linear Backbone { get; }

        public Linear Head { get; }

        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) =>
            functional.cross_entropy(Head.forward(functional.relu(Backbone.forward(batch.X))), batch.Y);

        // As Lightning's examples: only what trains when the optimizer is made. A list, since TorchSharp's groups
        // enumerate their parameters at every step, and a lazy filter would take in the backbone once it unfreezes.
        public override OptimizerConfig? ConfigureOptimizers() => optim.SGD(parameters().Where(p => p.requires_grad).ToList(), 0.1);

        public List<Tensor> Weights(Module part) => part.parameters().Select(p => p.detach().clone()).ToList();
    }

    private static bool Same(List<Tensor> a, List<Tensor> b) => a.Zip(b).All(p => p.First.allclose(p.Second, 0, 0));

    [TestMethod]
    public void TheBackboneIsFrozenUntilItsEpochThenTrainsWithItsOwnGrowingRate()
    {
        var backbone = new List<List<Tensor>>();
        var head = new List<List<Tensor>>();
        var lrs = new List<double[]>();
        var options = Quiet.Options(4);
        options.Callbacks.Add(new BackboneFinetuning(unfreezeBackboneAtEpoch: 2, lambdaFunc: _ => 2));
        options.Callbacks.Add(new LambdaCallback(onTrainEpochEnd: (trainer, module) =>
        {
            var model = (BackboneModel)module;
            backbone.Add(model.Weights(model.Backbone));
            head.Add(model.Weights(model.Head));
            lrs.Add(trainer.Optimizers[0].ParamGroups.Select(g => g.LearningRate).ToArray());
        }));
        using var model = new BackboneModel();
        var initial = model.Weights(model.Backbone);
        new Trainer(options).Fit(model, RandomData.Batches(2));

        Assert.IsTrue(Same(initial, backbone[0]) && Same(initial, backbone[1]), "frozen in epochs 0 and 1");
        Assert.IsFalse(Same(backbone[1], backbone[2]), "trained from epoch 2");
        Assert.IsFalse(Same(backbone[2], backbone[3]));
        Assert.IsFalse(Same(head[0], head[1]), "the head trains all along");
        CollectionAssert.AreEqual(new[] { 0.1 }, lrs[1]);
        Assert.AreEqual(2, lrs[2].Length, "a group of its own");
        Assert.AreEqual(0.01, lrs[2][1], 1e-12, "a tenth of the head's rate");
        Assert.AreEqual(0.02, lrs[3][1], 1e-12, "doubled by lambdaFunc");
        Assert.IsTrue(model.Backbone.parameters().All(p => p.requires_grad) && model.Backbone.training);
    }

    [TestMethod]
    public void AFitResumedAfterTheUnfreezeEqualsAnUninterruptedOne()
    {
        using var straight = new BackboneModel();
        using var resumed = new BackboneModel();
        WeightCopy.Into(straight, resumed);

        var options = Quiet.Options(4);
        options.Callbacks.Add(new BackboneFinetuning(unfreezeBackboneAtEpoch: 1));
        new Trainer(options).Fit(straight, RandomData.Batches(2));

        var folder = TempDir.Create();
        var first = Quiet.Options(3);
        first.Callbacks.Add(new BackboneFinetuning(unfreezeBackboneAtEpoch: 1));
        first.Callbacks.Add(new ModelCheckpoint(dirpath: folder, saveLast: true));
        new Trainer(first).Fit(resumed, RandomData.Batches(2));

        using var fresh = new BackboneModel();
        var second = Quiet.Options(4);
        var callback = new BackboneFinetuning(unfreezeBackboneAtEpoch: 1);
        second.Callbacks.Add(callback);
        var trainer = new Trainer(second);
        trainer.Fit(fresh, RandomData.Batches(2), ckptPath: Path.Combine(folder, "last.ckpt"));
        Assert.AreEqual(2, trainer.Optimizers[0].ParamGroups.Count(), "the backbone's group was rebuilt before the optimizer's state loaded");
        Assert.IsTrue(Same(straight.Weights(straight.Backbone), fresh.Weights(fresh.Backbone)));
        Assert.IsTrue(Same(straight.Weights(straight.Head), fresh.Weights(fresh.Head)));
    }

    [TestMethod]
    public void AModuleWithoutABackboneIsNamed()
    {
        var options = Quiet.Options();
        options.Callbacks.Add(new BackboneFinetuning());
        using var model = new TinyModel();
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(options).Fit(model, RandomData.Batches(1))).Message, "public Backbone property");
    }
}
