using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Bench.Models;

/// <summary>
/// The network of PyTorch Lightning's parity benchmark (<c>ParityModuleMNIST</c>): 784 to 128, tanh, batch norm,
/// dropout 0.3, 128 to 10. Both the trainer's module and the plain loop build it here, so both draw the same
/// initial weights from the same seed.
/// </summary>
internal static class ParityNetwork
{
    public const double LearningRate = 0.02;

    public static Module<Tensor, Tensor> Create() => Sequential(
        ("fc1", Linear(28 * 28, 128)),
        ("tanh", Tanh()),
        ("norm", BatchNorm1d(128)),
        ("dropout", Dropout(0.3)),
        ("fc2", Linear(128, 10)));
}
