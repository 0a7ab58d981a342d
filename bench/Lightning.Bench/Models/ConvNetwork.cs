using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Bench.Models;

/// <summary>The larger model of the GPU case: a small convolutional network on 28×28 images given as rows of 784.</summary>
internal static class ConvNetwork
{
    public const double LearningRate = 1e-3;

    public static Module<Tensor, Tensor> Create() => Sequential(
        ("unflatten", Unflatten(1, [1, 28, 28])),
        ("conv1", Conv2d(1, 32, 3, padding: 1)),
        ("relu1", ReLU()),
        ("pool1", MaxPool2d(2)),
        ("conv2", Conv2d(32, 64, 3, padding: 1)),
        ("relu2", ReLU()),
        ("pool2", MaxPool2d(2)),
        ("flatten", Flatten()),
        ("fc1", Linear(64 * 7 * 7, 128)),
        ("relu3", ReLU()),
        ("fc2", Linear(128, 10)));
}
