using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Bench.Loops;

/// <summary>
/// The training loop a TorchSharp user writes by hand, the baseline the Trainer is measured against: per
/// batch a dispose scope, zero-grad, forward, cross-entropy, backward, Adam step.
/// </summary>
internal static class PlainLoop
{
    /// <summary>Trains <paramref name="net"/> and returns the loss of the last batch.</summary>
    /// <param name="net">The network, in training mode.</param>
    /// <param name="loader">The batches; seeded per epoch like the Trainer's.</param>
    /// <param name="epochs">Epochs to run.</param>
    /// <param name="maxSteps">Stop after this many steps (-1: no limit).</param>
    /// <param name="afterStep">Called with the step count after each step (memory sampling), or null.</param>
    /// <param name="learningRate">Adam's learning rate; default case 1's.</param>
    /// <param name="device">Where to train (the network must be there already); default the CPU, where batches already are.</param>
    public static double Train(Module<Tensor, Tensor> net, TensorDataLoader loader, int epochs, long maxSteps = -1, Action<long>? afterStep = null,
        double learningRate = Models.ParityNetwork.LearningRate, Device? device = null)
    {
        using var optimizer = optim.Adam(net.parameters(), learningRate);
        net.train();
        var lastLoss = double.NaN;
        var steps = 0L;
        var batches = loader.Count;
        for (var epoch = 0; epoch < epochs && steps != maxSteps; epoch++)
        {
            loader.SetEpoch(epoch);
            var batchIdx = 0;
            foreach (var (x, y) in loader)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var loss = device is null
                    ? functional.cross_entropy(net.forward(x), y)
                    : functional.cross_entropy(net.forward(x.to(device)), y.to(device));
                loss.backward();
                optimizer.step();
                steps++;
                if (++batchIdx == batches) lastLoss = loss.item<float>();
                afterStep?.Invoke(steps);
                if (steps == maxSteps) break;
            }
        }
        return lastLoss;
    }
}
