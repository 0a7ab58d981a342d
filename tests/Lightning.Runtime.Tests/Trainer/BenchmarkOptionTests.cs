using Lightning.Native;
using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>TrainerOptions.Benchmark sets cuDNN's autotuning for the run and restores it after, as Lightning's <c>benchmark</c>.</summary>
[TestClass]
public sealed class BenchmarkOptionTests
{
    private static (bool During, bool After) Fit(bool? benchmark, bool deterministic = false)
    {
        var during = false;
        var options = Quiet.Options();
        options.Benchmark = benchmark;
        options.Deterministic = deterministic;
        options.Callbacks = [new LambdaCallback(onTrainStart: (_, _) => during = LibTorchContext.BenchmarkCudnn)];
        using var model = new TinyModel();
        new Trainer(options).Fit(model, RandomData.Batches(1));
        return (during, LibTorchContext.BenchmarkCudnn);
    }

    [TestMethod]
    public void BenchmarkTurnsAutotuningOnForTheRunOnly()
    {
        Assert.IsFalse(LibTorchContext.BenchmarkCudnn, "off unless set");
        Assert.AreEqual((true, false), Fit(benchmark: true));
        Assert.AreEqual((false, false), Fit(benchmark: null), "unset leaves LibTorch's setting");
    }

    [TestMethod]
    public void UnsetFollowsTheProcessSettingAndDeterministicTurnsItOff()
    {
        using (LibTorchContext.UseBenchmarkCudnn(true))
        {
            Assert.AreEqual((true, true), Fit(benchmark: null), "unset keeps what the process chose");
            Assert.AreEqual((false, true), Fit(benchmark: false));
            Assert.AreEqual((false, true), Fit(benchmark: null, deterministic: true), "deterministic runs do not autotune, and the setting comes back");
        }
        Assert.IsFalse(LibTorchContext.BenchmarkCudnn);
    }
}
