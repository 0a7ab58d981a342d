using System.Text.Json;
using Lightning.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests;

/// <summary>
/// The multi-tensor optimizers (Lightning.Optimizers) give TorchSharp's numbers and PyTorch's, keep the gradients
/// in their flat buffers, and save and load the state TorchSharp's optimizers do.
/// </summary>
[TestClass]
public sealed class MultiTensorOptimizerTests
{
    // Many small parameters of mixed shapes, as the optimizers meet them.
    private static Sequential Network()
    {
        torch.manual_seed(3);
        return Sequential(Linear(6, 16), Tanh(), LayerNorm(16), Linear(16, 16), ReLU(), Linear(16, 3));
    }

    private static readonly (string Name, Func<IEnumerable<Parameter>, optim.Optimizer> TorchSharp, Func<IEnumerable<Parameter>, optim.Optimizer> MultiTensor)[] Optimizers =
    [
        ("Adam", p => optim.Adam(p, 0.01), p => new Optimizers.Adam(p, 0.01)),
        ("Adam L2 AMSGrad maximize", p => optim.Adam(p, 0.01, weight_decay: 0.1, amsgrad: true, maximize: true),
            p => new Optimizers.Adam(p, 0.01, weight_decay: 0.1, amsgrad: true, maximize: true)),
        ("AdamW", p => optim.AdamW(p, 0.01, weight_decay: 0.05), p => new Optimizers.AdamW(p, 0.01, weight_decay: 0.05)),
        ("SGD", p => optim.SGD(p, 0.05), p => new Optimizers.SGD(p, 0.05)),
        ("SGD momentum", p => optim.SGD(p, 0.05, momentum: 0.9, dampening: 0.1, weight_decay: 0.01),
            p => new Optimizers.SGD(p, 0.05, momentum: 0.9, dampening: 0.1, weight_decay: 0.01)),
        ("SGD Nesterov", p => optim.SGD(p, 0.05, momentum: 0.9, nesterov: true), p => new Optimizers.SGD(p, 0.05, momentum: 0.9, nesterov: true)),
    ];

    private static List<Tensor> Train(Func<IEnumerable<Parameter>, optim.Optimizer> make, int steps, Action<Sequential, int>? beforeStep = null)
    {
        using var net = Network();
        using var optimizer = make(net.parameters());
        var (x, y) = RandomData.Rows(32, features: 6, classes: 3, seed: 4);
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            functional.cross_entropy(net.forward(x), y).backward();
            beforeStep?.Invoke(net, step);
            optimizer.step();
        }
        return net.parameters().Select(p => p.detach().clone()).ToList();
    }

    private static void AssertSame(IReadOnlyList<Tensor> expected, IReadOnlyList<Tensor> actual, string name, double rtol = 1e-6)
    {
        Assert.AreEqual(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var scale = expected[i].abs().max().item<float>();
            var difference = (expected[i] - actual[i]).abs().max().item<float>();
            Assert.IsTrue(difference <= rtol * Math.Max(scale, 1e-3), $"{name}: parameter {i} differs by {difference} (largest value {scale})");
        }
    }

    [TestMethod]
    public void SameWeightsAsTorchSharpOver100Steps()
    {
        foreach (var (name, torchSharp, multiTensor) in Optimizers)
        {
            var expected = Train(torchSharp, 100);
            var actual = Train(multiTensor, 100);
            AssertSame(expected, actual, name);
            Assert.IsFalse(expected.Zip(Train(torchSharp, 0)).All(p => p.First.allclose(p.Second)), $"{name}: the weights moved");
        }
    }

    [TestMethod]
    public void AdamsOnePassOverALargeBufferSplitAcrossThreadsGivesTorchSharpsMomentsBitForBit()
    {
        // Three grains of LibTorch's and a tail of single elements, on three threads: the CPU pass splits the buffer
        // in three parts, the last with a tail. The gradients do not depend on the weights, so every step sees the
        // same ones in both optimizers and the moments must agree to the bit; only the square root may round apart.
        const int Count = 3 * 32768 + 5;
        var threads = get_num_threads();
        set_num_threads(3);
        try
        {
            foreach (var (name, torchSharp, multiTensor) in Optimizers.Where(o => o.Name.StartsWith("Adam", StringComparison.Ordinal)))
            {
                manual_seed(11);
                var start = randn(Count);
                var gradients = Enumerable.Range(0, 30).Select(_ => randn(Count).mul_(0.01)).ToList();
                (Tensor Weights, Tensor ExpAvg, Tensor ExpAvgSq) Run(Func<IEnumerable<Parameter>, optim.Optimizer> make)
                {
                    var parameter = new Parameter(start.clone());
                    using var optimizer = make([parameter]);
                    parameter.grad = zeros(Count);
                    foreach (var gradient in gradients)
                    {
                        using (no_grad()) parameter.grad!.copy_(gradient);
                        optimizer.step();
                    }
                    (Tensor expAvg, Tensor expAvgSq) = ((OptimizerHelper)optimizer).state_dict().State.Single() switch
                    {
                        TorchSharp.Modules.Adam.State s => (s.exp_avg, s.exp_avg_sq),
                        TorchSharp.Modules.AdamW.State s => (s.exp_avg, s.exp_avg_sq),
                        var other => throw new AssertFailedException($"unexpected state {other.GetType()}"),
                    };
                    return (parameter.detach().clone(), expAvg.clone(), expAvgSq.clone());
                }
                var expected = Run(torchSharp);
                var actual = Run(multiTensor);
                Assert.IsTrue(expected.ExpAvg.eq(actual.ExpAvg).all().item<bool>(), $"{name}: first moment");
                Assert.IsTrue(expected.ExpAvgSq.eq(actual.ExpAvgSq).all().item<bool>(), $"{name}: second moment");
                AssertSame([expected.Weights], [actual.Weights], name);
            }
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [TestMethod]
    public void OnTheCpuAdamsFloat32StepIsTheOnePassAndOtherTensorsTakeTheOperations()
    {
        // The pass needs a square root that matches LibTorch's; the CPU package's LibTorch has one, so the speed of
        // the multi-tensor Adam does not vanish silently with a LibTorch whose square root changed.
        var rule = new Lightning.Optimizers.AdamRule(0.01, 0.9, 0.999, 1e-8, 0, Decoupled: false, AmsGrad: false, Maximize: false);
        using var scope = NewDisposeScope();
        Tensor[] Buffers(ScalarType dtype) => [.. Enumerable.Range(0, 4).Select(_ => ones(100, dtype: dtype))];
        var single = Buffers(ScalarType.Float32);
        Assert.IsTrue(Lightning.Optimizers.FusedAdamKernel.TryApply(rule, single[0], single[1], single[2], single[3], null, 1));
        Assert.IsTrue(single[0].lt(1).all().item<bool>(), "the pass updated the parameters");
        var wide = Buffers(ScalarType.Float64);
        Assert.IsFalse(Lightning.Optimizers.FusedAdamKernel.TryApply(rule, wide[0], wide[1], wide[2], wide[3], null, 1));
        var strided = ones(100, 2).t();
        Assert.IsFalse(Lightning.Optimizers.FusedAdamKernel.TryApply(rule, strided, ones(2, 100), ones(2, 100), ones(2, 100), null, 1));
        Assert.IsTrue(wide[0].eq(1).all().item<bool>() && strided.eq(1).all().item<bool>(), "nothing done where the pass does not apply");
    }

    [TestMethod]
    public void ParametersWithoutGradientAreSkippedAsTorchSharpSkipsThem()
    {
        // The last layer's gradients dropped before every other step: both skip it then, and step the rest.
        static void Drop(Sequential net, int step)
        {
            if (step % 2 == 1) foreach (var p in net.children().Last().parameters()) p.grad = null;
        }
        foreach (var (name, torchSharp, multiTensor) in Optimizers)
            AssertSame(Train(torchSharp, 20, Drop), Train(multiTensor, 20, Drop), name);
    }

    [TestMethod]
    public void GradientsAreViewsOfOneBufferThatBackwardFillsAndZeroGradWithoutSetToNoneZeroesInPlace()
    {
        using var net = Network();
        using var optimizer = new Optimizers.Adam(net.parameters());
        var gradients = optimizer.FlatGradients.Single();
        var (x, y) = RandomData.Rows(8, features: 6, classes: 3);
        functional.cross_entropy(net.forward(x), y).backward();
        var concatenated = cat(net.parameters().Select(p => p.grad!.flatten()).ToList());
        Assert.IsTrue(gradients.Buffer.allclose(concatenated, rtol: 0, atol: 0), "backward accumulated into the buffer");
        Assert.IsTrue(gradients.Buffer.count_nonzero().item<long>() > 0);

        optimizer.zero_grad(set_to_none: false);
        Assert.AreEqual(0L, gradients.Buffer.count_nonzero().item<long>());
        gradients.Buffer.fill_(2.0);
        Assert.IsTrue(net.parameters().All(p => p.grad!.eq(2.0).all().item<bool>()), "zero_grad(set_to_none: false) kept every gradient a view");

        optimizer.zero_grad();
        Assert.IsTrue(net.parameters().All(p => p.grad is null), "zero_grad() drops the gradients, as PyTorch's does by default");
    }

    [TestMethod]
    public void OnTheCpuAdamReadsFreshGradientsWhereBackwardLeftThemAndSgdCopiesThemIn()
    {
        foreach (var (name, _, multiTensor) in Optimizers.Where(o => o.Name is "Adam" or "SGD"))
        {
            using var net = Network();
            using var optimizer = multiTensor(net.parameters());
            var gradients = ((Optimizers.IMultiTensorOptimizer)optimizer).FlatGradients.Single();
            var (x, y) = RandomData.Rows(8, features: 6, classes: 3);
            optimizer.zero_grad();
            functional.cross_entropy(net.forward(x), y).backward();
            var fresh = cat(net.parameters().Select(p => p.grad!.flatten()).ToList());
            optimizer.step();
            if (name == "Adam")
                Assert.AreEqual(0L, gradients.Buffer.count_nonzero().item<long>(), "Adam read the gradients where backward left them, without a copy");
            else
                Assert.IsTrue(gradients.Buffer.eq(fresh).all().item<bool>(), "SGD's operations read the buffer, so the gradients were copied in");
        }
    }

    [TestMethod]
    public void AdamReadsEachGradientWhereItLiesFreshAViewOrCopiedInWithThePassSplitAcrossThreads()
    {
        // Four parameters whose buffer three threads split inside the first and last: a fresh gradient, a view of the
        // gradient buffer, one assigned by hand as a transposed (not contiguous) tensor, which is copied in, and
        // another fresh one. Each step's gradients are fixed, so TorchSharp's Adam must give the same moments to the bit.
        long[][] shapes = [[40000], [30000], [6, 7], [33000]];
        var threads = get_num_threads();
        set_num_threads(3);
        try
        {
            manual_seed(12);
            var starts = shapes.Select(shape => randn(shape)).ToList();
            var steps = Enumerable.Range(0, 10).Select(_ => shapes.Select(shape => randn(shape).mul_(0.01)).ToList()).ToList();
            (List<Tensor> Weights, List<Tensor> ExpAvgSq) Run(Func<IEnumerable<Parameter>, optim.Optimizer> make)
            {
                var parameters = starts.Select(start => new Parameter(start.clone())).ToList();
                using var optimizer = make(parameters);
                foreach (var gradients in steps)
                {
                    using var scope = NewDisposeScope();
                    if (optimizer is Optimizers.Adam adam)
                    {
                        adam.zero_grad(set_to_none: false);
                        using (no_grad()) parameters[1].grad!.copy_(gradients[1]);
                    }
                    else
                    {
                        parameters[1].grad = gradients[1].clone();
                    }
                    parameters[0].grad = gradients[0].clone();
                    parameters[2].grad = gradients[2].t().contiguous().t();
                    Assert.IsFalse(parameters[2].grad!.is_contiguous());
                    parameters[3].grad = gradients[3].clone();
                    optimizer.step();
                    if (optimizer is Optimizers.Adam multiTensor)
                    {
                        var buffer = multiTensor.FlatGradients.Single();
                        Assert.AreEqual(0L, buffer[0].count_nonzero().item<long>(), "the fresh gradient was read where it lies");
                        Assert.IsTrue(buffer[2].eq(gradients[2]).all().item<bool>(), "the transposed gradient was copied into the buffer");
                    }
                }
                var moments = ((OptimizerHelper)optimizer).state_dict().State.Select(s => ((TorchSharp.Modules.Adam.State)s).exp_avg_sq.clone()).ToList();
                return (parameters.Select(p => p.detach().clone()).ToList(), moments);
            }
            var expected = Run(p => optim.Adam(p, 0.01));
            var actual = Run(p => new Optimizers.Adam(p, 0.01));
            for (var i = 0; i < shapes.Length; i++)
                Assert.IsTrue(expected.ExpAvgSq[i].eq(actual.ExpAvgSq[i]).all().item<bool>(), $"second moment of parameter {i}");
            AssertSame(expected.Weights, actual.Weights, "Adam");
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [TestMethod]
    public void DroppedGradientsAreReattachedWithTheirValues()
    {
        using var net = Network();
        using var optimizer = new Optimizers.SGD(net.parameters(), 0.1);
        var gradients = optimizer.FlatGradients.Single();
        net.zero_grad();
        var (x, y) = RandomData.Rows(8, features: 6, classes: 3);
        functional.cross_entropy(net.forward(x), y).backward();
        var fresh = cat(net.parameters().Select(p => p.grad!.flatten()).ToList());
        Assert.AreEqual(0L, gradients.Buffer.count_nonzero().item<long>(), "Module.zero_grad dropped the views, so backward wrote elsewhere");

        Assert.AreEqual(0, gradients.Attach().Count);
        Assert.IsTrue(gradients.Buffer.allclose(fresh, rtol: 0, atol: 0));
        gradients.Buffer.zero_();
        Assert.IsTrue(net.parameters().All(p => p.grad!.count_nonzero().item<long>() == 0), "attached again");
    }

    [TestMethod]
    public void StateLoadsBothWaysWithTorchSharpsOptimizer()
    {
        // 30 steps of TorchSharp's Adam, its state into the multi-tensor Adam for 30 more, and that state back into
        // TorchSharp's: the same weights and state as 60 steps of TorchSharp's Adam alone.
        var (x, y) = RandomData.Rows(32, features: 6, classes: 3, seed: 4);
        void Steps(Sequential net, optim.Optimizer optimizer, int count)
        {
            for (var i = 0; i < count; i++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                functional.cross_entropy(net.forward(x), y).backward();
                optimizer.step();
            }
        }
        using var reference = Network();
        using var referenceOptimizer = optim.Adam(reference.parameters(), 0.01, amsgrad: true);
        Steps(reference, referenceOptimizer, 60);

        using var net = Network();
        using var first = optim.Adam(net.parameters(), 0.01, amsgrad: true);
        Steps(net, first, 30);
        using var second = new Optimizers.Adam(net.parameters(), 0.01, amsgrad: true);
        Checkpointing.OptimizerStates.Load(second, Checkpointing.OptimizerStates.Bytes(first));
        Steps(net, second, 20);
        using var third = optim.Adam(net.parameters(), 0.01, amsgrad: true);
        Checkpointing.OptimizerStates.Load(third, Checkpointing.OptimizerStates.Bytes(second));
        Steps(net, third, 10);

        AssertSame(reference.parameters().ToList(), net.parameters().ToList(), "resumed");
        Assert.IsTrue(referenceOptimizer.state_dict().State.Zip(third.state_dict().State).All(s => s.First.ApproximatelyEquals(s.Second)));
    }

    [TestMethod]
    public void SameNumbersAsPyTorchForTheFixedCase()
    {
        // Fixtures/optimizer_steps.json holds what PyTorch's own optimizers made of the case (make_optimizer_fixture.py).
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "Lightning.Runtime.Tests", "Optimizers", "Fixtures", "optimizer_steps.json")));
        var root = fixture.RootElement;
        var steps = root.GetProperty("steps").GetInt32();
        var shapes = root.GetProperty("shapes").EnumerateArray().Select(s => s.EnumerateArray().Select(d => d.GetInt64()).ToArray()).ToArray();
        static Tensor Closed(Func<int, double> value, long[] shape) =>
            tensor(Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(k => (float)value(k)).ToArray()).reshape(shape);
        var cases = root.GetProperty("cases").EnumerateObject().ToList();
        Assert.AreEqual(6, cases.Count);
        foreach (var entry in cases)
        {
            var options = entry.Value.GetProperty("options");
            double Option(string name, double otherwise) => options.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.True ? 1 : v.ValueKind == JsonValueKind.False ? 0 : v.GetDouble()) : otherwise;
            var parameters = shapes.Select((shape, i) => new Parameter(Closed(k => Math.Sin(0.3 * k + i), shape))).ToList();
            optim.Optimizer optimizer = entry.Value.GetProperty("optimizer").GetString() switch
            {
                "Adam" => new Optimizers.Adam(parameters, Option("lr", 0), weight_decay: Option("weight_decay", 0), amsgrad: Option("amsgrad", 0) == 1),
                "AdamW" => new Optimizers.AdamW(parameters, Option("lr", 0), weight_decay: Option("weight_decay", 0)),
                "SGD" => new Optimizers.SGD(parameters, Option("lr", 0), Option("momentum", 0), Option("dampening", 0), Option("weight_decay", 0), Option("nesterov", 0) == 1),
                var other => throw new AssertFailedException($"unknown optimizer {other}"),
            };
            using (optimizer)
            {
                for (var step = 0; step < steps; step++)
                {
                    using var scope = NewDisposeScope();
                    for (var i = 0; i < parameters.Count; i++)
                        using (no_grad()) parameters[i].grad!.copy_(Closed(k => Math.Cos(0.37 * k + 0.11 * step + i), shapes[i]));
                    optimizer.step();
                }
            }
            var expected = entry.Value.GetProperty("parameters").EnumerateArray()
                .Select(p => tensor(p.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray())).ToList();
            AssertSame(expected, parameters.Select(p => p.detach().flatten()).ToList(), entry.Name, rtol: 1e-5);
        }
    }

    private sealed class ClippedModel(bool multiTensor) : TinyModel(features: 6, classes: 3)
    {
        public override OptimizerConfig? ConfigureOptimizers()
        {
            optim.Optimizer adam = multiTensor ? new Optimizers.Adam(parameters(), 0.05, weight_decay: 0.01) : optim.Adam(parameters(), 0.05, weight_decay: 0.01);
            return new OptimizerConfig(adam, new LRSchedulerConfig(optim.lr_scheduler.StepLR(adam, 2, 0.5)) { Interval = SchedulerInterval.Step });
        }
    }

    [TestMethod]
    public void InTheTrainerWithClippingAccumulationAndAStepSchedulerTheWeightsAreTorchSharps()
    {
        var (x, y) = RandomData.Rows(48, features: 6, classes: 3, seed: 9);
        List<Tensor> Fit(bool multiTensor)
        {
            torch.manual_seed(5);
            using var model = new ClippedModel(multiTensor);
            var options = Quiet.Options(maxEpochs: 3);
            options.GradientClipVal = 0.1;
            options.AccumulateGradBatches = 2;
            new Trainer(options).Fit(model, new TensorDataLoader(x, y, 8));
            Assert.AreEqual(0.05 * Math.Pow(0.5, 4), model.Trainer!.Optimizers[0].ParamGroups.First().LearningRate, 1e-12, "the scheduler drove the rate");
            return model.Snapshot();
        }
        AssertSame(Fit(multiTensor: false), Fit(multiTensor: true), "Trainer");
    }
}
