using System.Globalization;
using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>Data-parallel jobs of this assembly's ranks (<see cref="DdpWorkerProcess"/>), started as users start them.</summary>
[TestClass]
public sealed class DdpTests
{
    [TestMethod]
    [DataRow(1, false)]
    [DataRow(2, false)]
    [DataRow(2, true)]
    public void TwoRanksWithBatchBEndWithTheWeightsOfOneRankWithBatch2B(int accumulate, bool multiTensor)
    {
        var folder = TempDir.Create();
        var job = DdpJob.Mpirun(2, "ddp-worker", folder, accumulate.ToString(CultureInfo.InvariantCulture), "auto", multiTensor ? "multi-tensor" : "torch");
        Assert.AreEqual(0, job.ExitCode, job.ToString());
        AssertRanksMatchOneProcess(folder, accumulate, multiTensor);
        StringAssert.Contains(job.Output, $"rank 1 of 2 took {DdpWorkerProcess.Steps} steps");
    }

    [TestMethod]
    public void StartedAloneWithTwoDevicesItStartsTheRanksItself()
    {
        var folder = TempDir.Create();
        var job = Command.Run(DdpJob.DotnetHost, ["exec", typeof(Program).Assembly.Location, "ddp-worker", folder, "1", "2", "torch"]);
        Assert.AreEqual(0, job.ExitCode, job.ToString());
        StringAssert.Contains(job.Output, "Starting 2 processes: ");
        AssertRanksMatchOneProcess(folder, 1, multiTensor: false);
    }

    private static void AssertRanksMatchOneProcess(string folder, int accumulate, bool multiTensor)
    {
        var reference = new Trainer(DdpWorkerProcess.Options(TempDir.Create(), accumulate, "auto"));
        manual_seed(1);
        using var model = new DdpWorkerProcess.Mlp(multiTensor);
        var (x, y) = DdpWorkerProcess.Data(accumulate);
        reference.Fit(model, new TensorDataLoader(x, y, 2 * DdpWorkerProcess.BatchPerRank));
        Assert.AreEqual(DdpWorkerProcess.Steps, reference.GlobalStep);
        var expected = model.Weights();

        foreach (var rank in new[] { 0, 1 })
        {
            var weights = DdpWorkerProcess.ReadWeights(Path.Combine(folder, $"rank{rank}.txt"));
            Assert.AreEqual(expected.Length, weights.Length);
            var largest = expected.Zip(weights, (a, b) => Math.Abs(a - b)).Max();
            Assert.IsTrue(largest <= 1e-5, $"rank {rank}'s weights differ from one process's by up to {largest}");
        }
    }
}
