using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>BasePredictionWriter's intervals, with a writer that records what it was given.</summary>
[TestClass]
public sealed class BasePredictionWriterTests
{
    private sealed class RecordingWriter(PredictionWriteInterval interval) : BasePredictionWriter(interval)
    {
        public List<(int BatchIdx, int DataloaderIdx, double[] Values)> Batches { get; } = [];

        public List<List<double[]>> Epoch { get; } = [];

        public override void WriteOnBatchEnd(Trainer trainer, LightningModule module, Tensor prediction, object batch, int batchIdx, int dataloaderIdx) =>
            Batches.Add((batchIdx, dataloaderIdx, prediction.data<float>().ToArray().Select(v => (double)v).ToArray()));

        public override void WriteOnEpochEnd(Trainer trainer, LightningModule module, IReadOnlyList<IReadOnlyList<Tensor>> predictions) =>
            Epoch.AddRange(predictions.Select(loader => loader.Select(p => p.data<float>().ToArray().Select(v => (double)v).ToArray()).ToList()));
    }

    private sealed class EpochWriterWithoutOverride() : BasePredictionWriter(PredictionWriteInterval.Epoch);

    [TestMethod]
    public void BatchAndEpochWritesGetTheSamePredictionsAsPredictReturns()
    {
        var writer = new RecordingWriter(PredictionWriteInterval.BatchAndEpoch);
        var options = Quiet.Options();
        options.Callbacks.Add(writer);
        using var model = new TinyModel();
        var returned = new Trainer(options).Predict(model, RandomData.Batches(3));
        var expected = returned.Select(p => p.data<float>().ToArray().Select(v => (double)v).ToArray()).ToList();

        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, writer.Batches.Select(b => b.BatchIdx).ToArray());
        Assert.IsTrue(writer.Batches.All(b => b.DataloaderIdx == 0));
        for (var i = 0; i < 3; i++) CollectionAssert.AreEqual(expected[i], writer.Batches[i].Values);
        Assert.AreEqual(1, writer.Epoch.Count, "one loader");
        for (var i = 0; i < 3; i++) CollectionAssert.AreEqual(expected[i], writer.Epoch[0][i], "the epoch's copies outlived their batches");
    }

    [TestMethod]
    public void EachIntervalWritesOnlyWhenItSays()
    {
        var batchWriter = new RecordingWriter(PredictionWriteInterval.Batch);
        var epochWriter = new RecordingWriter(PredictionWriteInterval.Epoch);
        foreach (var writer in new[] { batchWriter, epochWriter })
        {
            var options = Quiet.Options();
            options.Callbacks.Add(writer);
            using var model = new TinyModel();
            new Trainer(options).Predict(model, RandomData.Batches(2));
        }
        Assert.AreEqual((2, 0), (batchWriter.Batches.Count, batchWriter.Epoch.Count));
        Assert.AreEqual((0, 1), (epochWriter.Batches.Count, epochWriter.Epoch.Count));
        Assert.AreEqual(2, epochWriter.Epoch[0].Count);
    }

    [TestMethod]
    public void AWriterWithoutItsWriteMethodSaysWhichOneIsMissing()
    {
        var options = Quiet.Options();
        options.Callbacks.Add(new EpochWriterWithoutOverride());
        using var model = new TinyModel();
        var error = Assert.ThrowsExactly<NotImplementedException>(() => new Trainer(options).Predict(model, RandomData.Batches(1)));
        StringAssert.Contains(error.Message, "does not override WriteOnEpochEnd");
    }
}
