using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>How many batches and epochs run under the trainer's limits, and when validation happens.</summary>
[TestClass]
public sealed class LoopControlTests
{
    /// <summary>Counts the batches each stage runs and records when validation ran (after which training batch).</summary>
    private sealed class CountingModel : TinyModel
    {
        public int TrainBatches { get; private set; }
        public int ValBatches { get; private set; }
        public int TestBatches { get; private set; }
        public List<int> ValidationAfter { get; } = [];
        public List<int> Epochs { get; } = [];

        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            TrainBatches++;
            return base.TrainingStep(batch, batchIdx);
        }

        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            ValBatches++;
            return base.ValidationStep(batch, batchIdx);
        }

        public override StepOutput? TestStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            TestBatches++;
            return base.TestStep(batch, batchIdx);
        }

        public override void OnValidationStart()
        {
            if (Trainer!.Training || Trainer.State.Stage == RunningStage.Validating) ValidationAfter.Add(TrainBatches);
        }

        public override void OnTrainEpochStart() => Epochs.Add(CurrentEpoch);
    }

    private static (CountingModel Model, Trainer Trainer) Fit(TrainerOptions options, int trainBatches = 10, int valBatches = 4)
    {
        var model = new CountingModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(trainBatches), RandomData.Batches(valBatches, seed: 1));
        return (model, trainer);
    }

    [TestMethod]
    public void FastDevRunRunsOneBatchOfEachStageWithoutLoggersOrSanityCheck()
    {
        var options = Quiet.Options(maxEpochs: 5);
        options.FastDevRun = true;
        options.Logger = true;
        var (model, trainer) = Fit(options);
        Assert.AreEqual(1, model.TrainBatches);
        Assert.AreEqual(1, model.ValBatches, "no sanity check, one validation batch");
        Assert.AreEqual(1, trainer.GlobalStep);
        Assert.AreEqual(0, trainer.Loggers.Count);
        Assert.IsFalse(Directory.Exists(Path.Combine(trainer.DefaultRootDir, "lightning_logs")));
        trainer.Test(model, RandomData.Batches(5), verbose: false);
        Assert.AreEqual(1, model.TestBatches);
    }

    [TestMethod]
    public void FastDevRunWithACountRunsThatManyBatches()
    {
        var options = Quiet.Options(maxEpochs: 5);
        options.FastDevRun = 3;
        var (model, trainer) = Fit(options);
        Assert.AreEqual(3, model.TrainBatches);
        Assert.AreEqual(3, model.ValBatches);
        CollectionAssert.AreEqual(new[] { 0 }, model.Epochs);
        Assert.AreEqual(3, trainer.GlobalStep);
    }

    [TestMethod]
    public void LimitBatchesTakesCountsAndFractions()
    {
        var options = Quiet.Options(maxEpochs: 2);
        options.LimitTrainBatches = 0.5;
        options.LimitValBatches = 3;
        options.NumSanityValSteps = 0;
        var (model, trainer) = Fit(options);
        Assert.AreEqual(10, model.TrainBatches, "half of 10 batches, two epochs");
        Assert.AreEqual(6, model.ValBatches, "3 batches per validation, two validations");
        Assert.AreEqual(5, trainer.NumTrainingBatches);
        CollectionAssert.AreEqual(new[] { 3 }, trainer.NumValBatches.ToList());
    }

    [TestMethod]
    public void LimitTrainBatchesZeroSkipsTraining()
    {
        var options = Quiet.Options(maxEpochs: 3);
        options.LimitTrainBatches = 0;
        var (model, trainer) = Fit(options);
        Assert.AreEqual(0, model.TrainBatches);
        Assert.AreEqual(0, trainer.GlobalStep);
    }

    [TestMethod]
    public void SanityCheckRunsNumSanityValStepsBatches()
    {
        var options = Quiet.Options(maxEpochs: 0);
        options.NumSanityValSteps = 3;
        var (model, _) = Fit(options);
        Assert.AreEqual(3, model.ValBatches);
        Assert.AreEqual(0, model.TrainBatches);
    }

    [TestMethod]
    public void OverfitBatchesTrainsOnTheSameFewBatchesInOrderAndValidatesOnAsManyValidationBatches()
    {
        var options = Quiet.Options(maxEpochs: 2);
        options.OverfitBatches = 2;
        options.NumSanityValSteps = 0;
        var trained = new List<Tensor>();
        var validated = new List<Tensor>();
        using var model = new OverfitProbe(trained, validated);
        var (x, y) = RandomData.Rows(40);
        var val = RandomData.Batches(4, seed: 1);
        new Trainer(options).Fit(model, new TensorDataLoader(x, y, batchSize: 4, shuffle: true), val);
        Assert.HasCount(4, trained);
        Assert.IsTrue(trained[0].allclose(x[..4]) && trained[1].allclose(x[4..8]), "shuffling is off: the first batches, in order");
        Assert.IsTrue(trained[2].allclose(trained[0]) && trained[3].allclose(trained[1]), "every epoch trains on the same batches");
        Assert.HasCount(4, validated, "validation runs on 2 batches each epoch");
        Assert.IsTrue(validated[0].allclose(val[0].X) && validated[1].allclose(val[1].X), "the validation batches come from the validation loader, as in Lightning");
    }

    private sealed class OverfitProbe(List<Tensor> trained, List<Tensor> validated) : TinyModel
    {
        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            trained.Add(batch.X.clone().DetachFromDisposeScope());
            return base.TrainingStep(batch, batchIdx);
        }

        public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            validated.Add(batch.X.clone().DetachFromDisposeScope());
            return null;
        }
    }

    [TestMethod]
    public void ValCheckIntervalFractionValidatesSeveralTimesPerEpoch()
    {
        var options = Quiet.Options();
        options.ValCheckInterval = 0.25;
        options.NumSanityValSteps = 0;
        options.LimitValBatches = 1;
        var (model, _) = Fit(options, trainBatches: 8);
        CollectionAssert.AreEqual(new[] { 2, 4, 6, 8 }, model.ValidationAfter);
    }

    [TestMethod]
    public void ValCheckIntervalCountValidatesEveryNBatches()
    {
        var options = Quiet.Options();
        options.ValCheckInterval = 3;
        options.NumSanityValSteps = 0;
        options.LimitValBatches = 1;
        var (model, _) = Fit(options, trainBatches: 10);
        CollectionAssert.AreEqual(new[] { 3, 6, 9 }, model.ValidationAfter);
    }

    [TestMethod]
    public void ValCheckIntervalCountsAcrossEpochsWhenCheckValEveryNEpochIsNull()
    {
        var options = Quiet.Options(maxEpochs: 3);
        options.ValCheckInterval = 4;
        options.CheckValEveryNEpoch = null;
        options.NumSanityValSteps = 0;
        options.LimitValBatches = 1;
        var (model, _) = Fit(options, trainBatches: 3);
        CollectionAssert.AreEqual(new[] { 4, 8 }, model.ValidationAfter);
    }

    [TestMethod]
    public void CheckValEveryNEpochSkipsEpochs()
    {
        var options = Quiet.Options(maxEpochs: 4);
        options.CheckValEveryNEpoch = 2;
        options.NumSanityValSteps = 0;
        options.LimitValBatches = 1;
        var (model, _) = Fit(options, trainBatches: 2);
        CollectionAssert.AreEqual(new[] { 4, 8 }, model.ValidationAfter);
    }

    [TestMethod]
    public void MaxStepsStopsInsideAnEpoch()
    {
        var options = Quiet.Options(maxEpochs: 10);
        options.MaxSteps = 7;
        var (model, trainer) = Fit(options, trainBatches: 5);
        Assert.AreEqual(7, trainer.GlobalStep);
        Assert.AreEqual(7, model.TrainBatches);
    }

    [TestMethod]
    public void MaxEpochsStops()
    {
        var (model, trainer) = Fit(Quiet.Options(maxEpochs: 3), trainBatches: 2);
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, model.Epochs);
        Assert.AreEqual(3, trainer.CurrentEpoch);
        Assert.AreEqual(6, trainer.GlobalStep);
    }

    [TestMethod]
    public void MaxTimeStopsTraining()
    {
        var options = Quiet.Options(maxEpochs: -1);
        options.MaxTime = TimeSpan.FromMilliseconds(1);
        var model = new SlowModel();
        var trainer = new Trainer(options);
        trainer.Fit(model, RandomData.Batches(100));
        Assert.IsTrue(trainer.GlobalStep is >= 1 and < 100, $"stopped after {trainer.GlobalStep} steps");
        Assert.AreEqual(1, trainer.CurrentEpoch, "the interrupted epoch counts as ended, as in Lightning");
    }

    /// <summary>Each step takes a measurable moment, so a 1 ms budget runs out after the first step at the latest.</summary>
    private sealed class SlowModel : TinyModel
    {
        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            var until = DateTime.UtcNow.AddMilliseconds(2);
            while (DateTime.UtcNow < until) { }
            return base.TrainingStep(batch, batchIdx);
        }
    }

    [TestMethod]
    public void ShouldStopEndsTrainingButMinEpochsWins()
    {
        var options = Quiet.Options(maxEpochs: 10);
        options.MinEpochs = 3;
        options.Callbacks.Add(new StopAtOnce());
        var (model, _) = Fit(options, trainBatches: 2);
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, model.Epochs, string.Join(",", model.Epochs));
    }

    private sealed class StopAtOnce : Callback
    {
        public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx) => trainer.ShouldStop = true;
    }

    /// <summary>Returns null from every odd batch's step, Lightning's way of skipping a batch.</summary>
    private sealed class SkippingModel : TinyModel
    {
        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) =>
            batchIdx % 2 == 1 ? null : base.TrainingStep(batch, batchIdx);
    }

    [TestMethod]
    public void ATrainingStepReturningNullSkipsTheBatch()
    {
        var batches = RandomData.Batches(4);
        TorchSharp.torch.manual_seed(5);
        using var skipping = new SkippingModel();
        var trainer = new Trainer(Quiet.Options());
        trainer.Fit(skipping, batches);
        TorchSharp.torch.manual_seed(5);
        using var plain = new TinyModel();
        new Trainer(Quiet.Options()).Fit(plain, new[] { batches[0], batches[2] });
        var expected = plain.Snapshot();
        var actual = skipping.Snapshot();
        for (var i = 0; i < expected.Count; i++)
            Assert.IsTrue(expected[i].allclose(actual[i]), $"parameter {i}: the skipped batches changed the weights");
        Assert.AreEqual(4, trainer.GlobalStep, "a skipped batch still counts as an optimizer step, as Lightning counts it");
    }

    /// <summary>Ends its first epoch before batch 3 from <c>OnTrainBatchStart</c>, Lightning's <c>return -1</c>; counts each epoch's steps.</summary>
    private sealed class EpochEndingModel : TinyModel
    {
        public List<int> StepsPerEpoch { get; } = [];

        public override void OnTrainEpochStart() => StepsPerEpoch.Add(0);

        public override int OnTrainBatchStart((Tensor X, Tensor Y) batch, int batchIdx) => CurrentEpoch == 0 && batchIdx == 3 ? -1 : 0;

        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            StepsPerEpoch[^1]++;
            return base.TrainingStep(batch, batchIdx);
        }
    }

    [TestMethod]
    public void OnTrainBatchStartReturningMinusOneEndsTheEpochAndTheNextRunsInFull()
    {
        using var model = new EpochEndingModel();
        var trainer = new Trainer(Quiet.Options(maxEpochs: 2));
        trainer.Fit(model, RandomData.Batches(8));
        CollectionAssert.AreEqual(new[] { 3, 8 }, model.StepsPerEpoch);
        Assert.AreEqual(11, trainer.GlobalStep);
        Assert.AreEqual(2, trainer.CurrentEpoch);
    }
}
