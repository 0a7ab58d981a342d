using Lightning.Tests.Support;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>
/// Evaluation and prediction put the module in evaluation mode and give every submodule its previous mode back
/// afterwards, as Lightning's <c>_ModuleMode</c> does (its <c>test_train_eval_mode_restored</c>).
/// </summary>
[TestClass]
public sealed class ModuleModeTests
{
    /// <summary>A module with a submodule its author froze in evaluation mode; it records the modes each step sees.</summary>
    private sealed class FrozenPart : TinyModel
    {
        public FrozenPart()
        {
            Frozen = nn.Dropout(0.5);
            RegisterComponents();
            Frozen.eval();
        }

        public Dropout Frozen { get; }

        public List<(bool Module, bool Frozen)> TrainingModes { get; } = [];

        public List<bool> ValidationModes { get; } = [];

        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            TrainingModes.Add((training, Frozen.training));
            return base.TrainingStep(batch, batchIdx);
        }

        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            ValidationModes.Add(training || Frozen.training || Layer.training);
            return base.ValidationStep(batch, batchIdx);
        }
    }

    [TestMethod]
    public void ValidationInFitRestoresEachSubmodulesMode()
    {
        using var model = new FrozenPart();
        var options = Quiet.Options(maxEpochs: 2);
        new Trainer(options).Fit(model, RandomData.Batches(2), RandomData.Batches(1, seed: 1));
        Assert.IsTrue(model.ValidationModes.All(m => !m), "everything is in evaluation mode while validating");
        Assert.HasCount(4, model.TrainingModes);
        CollectionAssert.AreEqual(Enumerable.Repeat((true, false), 4).ToList(), model.TrainingModes,
            "after each validation the module trains again and the frozen submodule stays in evaluation mode");
    }

    [TestMethod]
    public void ValidateAndTestRestoreEachSubmodulesMode()
    {
        using var model = new FrozenPart();
        var trainer = new Trainer(Quiet.Options());
        trainer.Validate(model, RandomData.Batches(1), verbose: false);
        Assert.IsTrue(model.training && model.Layer.training && !model.Frozen.training, "Validate left the modes as they were");
        trainer.Test(model, RandomData.Batches(1), verbose: false);
        Assert.IsTrue(model.training && model.Layer.training && !model.Frozen.training, "Test left the modes as they were");
    }

    [TestMethod]
    public void FitAfterPredictTrainsInTrainingMode()
    {
        using var model = new FrozenPart();
        var trainer = new Trainer(Quiet.Options());
        foreach (var prediction in trainer.Predict(model, RandomData.Batches(1))) prediction.Dispose();
        Assert.IsTrue(model.training && !model.Frozen.training, "Predict restores the modes it found");
        trainer.Fit(model, RandomData.Batches(2));
        CollectionAssert.AreEqual(Enumerable.Repeat((true, false), 2).ToList(), model.TrainingModes);
    }

    /// <summary>A module that overrides <c>OnValidationModelTrain</c> decides itself, as in Lightning.</summary>
    private sealed class OwnTrainHook : TinyModel
    {
        public override void OnValidationModelTrain() => Layer.train();
    }

    [TestMethod]
    public void AnOverriddenModelTrainHookReplacesTheRestore()
    {
        using var model = new OwnTrainHook();
        new Trainer(Quiet.Options()).Validate(model, RandomData.Batches(1), verbose: false);
        Assert.IsFalse(model.training, "the module's own hook ran instead of the restore");
        Assert.IsTrue(model.Layer.training);
    }

    [TestMethod]
    public void FreezeStopsEveryParameterAndUnfreezeTrainsThemAgain()
    {
        using var model = new TinyModel();
        model.Freeze();
        Assert.IsTrue(model.parameters().All(p => !p.requires_grad));
        Assert.IsFalse(model.training || model.Layer.training);
        model.Unfreeze();
        Assert.IsTrue(model.parameters().All(p => p.requires_grad));
        Assert.IsTrue(model.training && model.Layer.training);
        var before = model.Snapshot();
        new Trainer(Quiet.Options()).Fit(model, RandomData.Batches(1));
        Assert.IsFalse(before.Zip(model.Snapshot()).All(p => p.First.allclose(p.Second, 0, 0)), "the unfrozen module trained");
    }
}
