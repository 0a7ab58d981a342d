using System.Runtime.InteropServices;
using Lightning.Accelerators;
using Lightning.Native;
using Lightning.Tests.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Tests.Accelerators;

/// <summary>Choosing the device, and the errors when the hardware asked for is not there (the test machines have no GPU).</summary>
[TestClass]
public sealed class AcceleratorTests
{
    [TestMethod]
    [OSCondition(ConditionMode.Exclude, OperatingSystems.OSX, IgnoreMessage = "Every Mac TorchSharp runs on (Apple silicon) has a GPU that auto picks.")]
    public void AutoFallsBackToTheCpuWithoutAGpu()
    {
        Assert.IsFalse(cuda.is_available(), "these tests expect a machine without CUDA");
        Assert.AreEqual(DeviceType.CPU, new Trainer().RootDevice.type);
        Assert.AreEqual(DeviceType.CPU, new Trainer(new TrainerOptions { Accelerator = "cpu", Devices = 1 }).RootDevice.type);
        Assert.AreEqual(DeviceType.CPU, new Trainer(new TrainerOptions { Devices = -1 }).RootDevice.type, "all devices of the CPU is one");
        Assert.AreEqual(DeviceType.CPU, new Trainer(new TrainerOptions { Gpus = 0 }).RootDevice.type, "0.x: gpus=0 is the CPU");
    }

    [TestMethod]
    [DataRow("cuda")]
    [DataRow("gpu")]
    [OSCondition(OperatingSystems.Linux, IgnoreMessage = "Only Linux tells which LibTorch the process loaded (/proc/self/maps); elsewhere the general reason is given, checked with fed data.")]
    public void CudaWithoutCudaSaysWhyAndWhatToReference(string accelerator)
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(new TrainerOptions { Accelerator = accelerator }));
        StringAssert.Contains(error.Message, $"Accelerator = \"{accelerator}\" was asked for, but CUDA is not available");
        StringAssert.Contains(error.Message, "CPU-only build");
    }

    [TestMethod]
    public void WithoutACudaLibTorchTheFixIsABackendPackageOrAPyTorchInstall()
    {
        var reason = CudaDiagnosis.Explain(TestPlatforms.LinuxX64, "/app/bin/libtorch_cpu.so", torchCuda: null, install: null);
        StringAssert.Contains(reason, "(/app/bin) is a CPU-only build");
        StringAssert.Contains(reason, "no TorchSharp CUDA backend package is referenced");
        StringAssert.Contains(reason, "TorchSharp-cuda-linux");
        StringAssert.Contains(reason, LibTorch.EnvironmentVariable);
        StringAssert.Contains(reason, "Accelerator = \"cpu\"");
    }

    [TestMethod]
    public void ACpuOnlyPyTorchInstallIsNamed()
    {
        var reason = CudaDiagnosis.Explain(TestPlatforms.LinuxX64, "/venv/torch/lib/libtorch_cpu.so", torchCuda: null, install: "/venv/torch/lib");
        StringAssert.Contains(reason, "PyTorch install at /venv/torch/lib is a CPU-only build");
        StringAssert.Contains(reason, "Install a CUDA build of PyTorch");
    }

    [TestMethod]
    public void WindowsIsToldOfItsCudaPackageAndMacOsOfMps()
    {
        var windows = CudaDiagnosis.Explain(TestPlatforms.WindowsX64, torchCpu: null, torchCuda: null, install: null);
        StringAssert.Contains(windows, "TorchSharp-cuda-windows");
        var mac = CudaDiagnosis.Explain(TestPlatforms.MacOs15Arm64, torchCpu: null, torchCuda: null, install: null);
        StringAssert.Contains(mac, "Accelerator = \"mps\"");
        foreach (var reason in new[] { windows, mac })
        {
            Assert.IsFalse(reason.Contains(LibTorch.EnvironmentVariable, StringComparison.Ordinal), reason);
            Assert.IsFalse(reason.Contains("TorchSharp-cuda-linux", StringComparison.Ordinal), reason);
        }
    }

    [TestMethod]
    public void GpusAliasAsksForCuda()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(new TrainerOptions { Gpus = 1 }));
        StringAssert.Contains(error.Message, "CUDA is not available");
    }

    [TestMethod]
    public void GpusAndDevicesTogetherAreAmbiguous()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new Trainer(new TrainerOptions { Gpus = 1, Devices = 1 }));
        StringAssert.Contains(error.Message, "Give one of them");
        Assert.ThrowsExactly<ArgumentException>(() => new Trainer(new TrainerOptions { Gpus = 1, Accelerator = "cpu" }));
    }

    [TestMethod]
    [OSCondition(ConditionMode.Exclude, OperatingSystems.OSX, IgnoreMessage = "On Apple silicon LibTorch has MPS.")]
    public void MpsOffAppleSiliconSaysWhatItNeeds()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(new TrainerOptions { Accelerator = "mps" }));
        StringAssert.Contains(error.Message, "Apple silicon");
    }

    [TestMethod]
    public void SeveralDevicesOnOneDeviceStrategyAreRefusedNamingDdp()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            new Trainer(new TrainerOptions { Accelerator = "cpu", Devices = 2, Strategy = "single_device" }));
        StringAssert.Contains(error.Message, "Strategy = \"ddp\"");
    }

    [TestMethod]
    public void AnIndexListPicksAGpuNotACpu()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new Trainer(new TrainerOptions { Accelerator = "cpu", Devices = new[] { 0 } }));
        StringAssert.Contains(error.Message, "Devices = 1");
    }

    [TestMethod]
    public void DdpAloneIsOneRankAndStrategiesNotHereAreRefusedAndUnknownOnesNamed()
    {
        var ddp = new Trainer(new TrainerOptions { Strategy = "ddp" });
        Assert.AreEqual((0, 1, true), (ddp.GlobalRank, ddp.WorldSize, ddp.IsGlobalZero));
        var spawn = Assert.ThrowsExactly<NotSupportedException>(() => new Trainer(new TrainerOptions { Strategy = "ddp_spawn" }));
        StringAssert.Contains(spawn.Message, "Strategy = \"ddp\"");
        Assert.AreEqual(DeviceType.CPU, new Trainer(new TrainerOptions { Accelerator = "cpu", Strategy = "single_device" }).RootDevice.type);
        var unknown = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Trainer(new TrainerOptions { Strategy = "fast" }));
        StringAssert.Contains(unknown.Message, "TrainerOptions.Strategy");
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux, IgnoreMessage = "Reads the variable back through glibc's getenv.")]
    public void DeterministicCudaSetsTheCublasWorkspaceWhereNativeCodeReadsIt()
    {
        CudaAccelerator.PrepareDeterministic();
        var getenv = Marshal.GetDelegateForFunctionPointer<GetEnv>(NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "getenv"));
        Assert.IsNotNull(Marshal.PtrToStringUTF8(getenv("CUBLAS_WORKSPACE_CONFIG")), "cuBLAS reads the C library's environment, not .NET's copy");
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
