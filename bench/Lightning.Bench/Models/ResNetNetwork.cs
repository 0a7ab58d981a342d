using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Bench.Models;

/// <summary>
/// The GPU case's model that is not launch-bound: a small ResNet (three stages of two basic blocks, 32 to 128
/// channels) on 32×32 images, Fashion-MNIST's 28×28 padded by 2, trained in <c>bf16-mixed</c> with batch 256.
/// bench/gpu/pl_bench.py builds the same network.
/// </summary>
internal static class ResNetNetwork
{
    public const double LearningRate = 1e-3;
    public const int BatchSize = 256;

    public static Module<Tensor, Tensor> Create() => Sequential(
        ("unflatten", Unflatten(1, [1, 28, 28])),
        ("pad", ZeroPad2d(2)),
        ("stem", Conv2d(1, 32, 3, padding: 1, bias: false)),
        ("stem_bn", BatchNorm2d(32)),
        ("stem_relu", ReLU()),
        ("block1", new ResidualBlock(32, 32, 1)),
        ("block2", new ResidualBlock(32, 32, 1)),
        ("block3", new ResidualBlock(32, 64, 2)),
        ("block4", new ResidualBlock(64, 64, 1)),
        ("block5", new ResidualBlock(64, 128, 2)),
        ("block6", new ResidualBlock(128, 128, 1)),
        ("pool", AdaptiveAvgPool2d(1)),
        ("flatten", Flatten()),
        ("fc", Linear(128, 10)));
}
