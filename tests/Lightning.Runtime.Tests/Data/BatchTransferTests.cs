using static TorchSharp.torch;

namespace Lightning.Tests.Data;

[TestClass]
public sealed class BatchTransferTests
{
    [TestMethod]
    public void ABatchAlreadyOnTheDeviceIsReturnedAsItIs()
    {
        using var x = ones(2, 3);
        using var y = zeros(2);
        var batch = (X: x, Y: y);

        var moved = BatchTransfer.To(batch, new Device("cpu"));

        // Not even a new handle per tensor: the trainer calls this on every batch.
        Assert.AreSame(x, moved.X);
        Assert.AreSame(y, moved.Y);
    }
}
