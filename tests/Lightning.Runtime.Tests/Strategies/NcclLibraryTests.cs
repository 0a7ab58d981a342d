using Lightning.Native;

namespace Lightning.Tests;

/// <summary>NCCL is looked for where it is installed, and its absence is explained with where to get it.</summary>
[TestClass]
public sealed class NcclLibraryTests
{
    [TestMethod]
    public void AMissingLibraryNamesWhatWasTriedAndWhereNcclComesFrom()
    {
        var error = Assert.ThrowsExactly<DistributedException>(() => NcclLibrary.Load(["/nowhere/libnccl.so.2"]));

        StringAssert.Contains(error.Message, "/nowhere/libnccl.so.2");
        StringAssert.Contains(error.Message, "apt-get install libnccl2");
        StringAssert.Contains(error.Message, "nvidia-nccl-cu12");
        StringAssert.Contains(error.Message, NcclLibrary.PathVariable);
    }

    [TestMethod]
    public void ItIsLookedForOnTheLoaderPathThenBesideAPyTorchInstall()
    {
        CollectionAssert.AreEqual(new[] { "/opt/nccl/libnccl.so.2" }, NcclLibrary.Candidates("/opt/nccl/libnccl.so.2", "/venv/lib/python3.12/site-packages/torch/lib").ToArray());
        CollectionAssert.AreEqual(new[] { "libnccl.so.2", "/venv/lib/python3.12/site-packages/nvidia/nccl/lib/libnccl.so.2" },
            NcclLibrary.Candidates(null, "/venv/lib/python3.12/site-packages/torch/lib").ToArray());
        CollectionAssert.AreEqual(new[] { "libnccl.so.2" }, NcclLibrary.Candidates(null, null).ToArray());
    }
}
