using Lightning.Native;

namespace Lightning.Tests.Native;

[TestClass]
public sealed class NativeRuntimeTests
{
    [TestMethod]
    public void LibTorchSharpLoadsWhereABackendIsReferenced()
    {
        // This project references TorchSharp-cpu, as an application does.
        var failure = NativeRuntime.Probe();
        Assert.IsNull(failure, failure?.Describe());
    }
}
