namespace Lightning.Native;

/// <summary>
/// The name each platform's <c>torch_cpu</c> library exports every <see cref="LibTorchFunction"/> under: one table
/// of Itanium C++ ABI names, which GCC (Linux) and Clang (macOS) both use, and one of MSVC-decorated names (Windows).
/// A test reads the export tables of the libraries TorchSharp-cpu ships for each platform and finds every name here.
/// </summary>
internal static class LibTorchSymbols
{
    /// <summary>Linux and macOS (Mach-O symbol tables add a leading underscore, which <c>dlsym</c> does not take).</summary>
    public static IReadOnlyDictionary<LibTorchFunction, string> Itanium { get; } = new Dictionary<LibTorchFunction, string>
    {
        [LibTorchFunction.GlobalContext] = "_ZN2at13globalContextEv",
        [LibTorchFunction.DeterministicAlgorithms] = "_ZNK2at7Context23deterministicAlgorithmsEv",
        [LibTorchFunction.SetDeterministicAlgorithms] = "_ZN2at7Context26setDeterministicAlgorithmsEbb",
        [LibTorchFunction.SetDeterministicCuDNN] = "_ZN2at7Context21setDeterministicCuDNNEb",
        [LibTorchFunction.SetBenchmarkCuDNN] = "_ZN2at7Context17setBenchmarkCuDNNEb",
        [LibTorchFunction.BenchmarkCuDNN] = "_ZNK2at7Context14benchmarkCuDNNEv",
        [LibTorchFunction.IsAutocastEnabled] = "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE",
        [LibTorchFunction.SetAutocastEnabled] = "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb",
        [LibTorchFunction.GetAutocastDtype] = "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE",
        [LibTorchFunction.SetAutocastDtype] = "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE",
        [LibTorchFunction.IncrementAutocastNesting] = "_ZN2at8autocast17increment_nestingEv",
        [LibTorchFunction.DecrementAutocastNesting] = "_ZN2at8autocast17decrement_nestingEv",
        [LibTorchFunction.ClearAutocastCache] = "_ZN2at8autocast11clear_cacheEv",
        [LibTorchFunction.MpsIsAvailable] = "_ZN5torch3mps12is_availableEv",
    };

    /// <summary>Windows (MSVC's decoration; every enum is encoded as <c>W4</c> whatever its underlying type).</summary>
    public static IReadOnlyDictionary<LibTorchFunction, string> Msvc { get; } = new Dictionary<LibTorchFunction, string>
    {
        [LibTorchFunction.GlobalContext] = "?globalContext@at@@YAAEAVContext@1@XZ",
        [LibTorchFunction.DeterministicAlgorithms] = "?deterministicAlgorithms@Context@at@@QEBA_NXZ",
        [LibTorchFunction.SetDeterministicAlgorithms] = "?setDeterministicAlgorithms@Context@at@@QEAAX_N0@Z",
        [LibTorchFunction.SetDeterministicCuDNN] = "?setDeterministicCuDNN@Context@at@@QEAAX_N@Z",
        [LibTorchFunction.SetBenchmarkCuDNN] = "?setBenchmarkCuDNN@Context@at@@QEAAX_N@Z",
        [LibTorchFunction.BenchmarkCuDNN] = "?benchmarkCuDNN@Context@at@@QEBA_NXZ",
        [LibTorchFunction.IsAutocastEnabled] = "?is_autocast_enabled@autocast@at@@YA_NW4DeviceType@c10@@@Z",
        [LibTorchFunction.SetAutocastEnabled] = "?set_autocast_enabled@autocast@at@@YAXW4DeviceType@c10@@_N@Z",
        [LibTorchFunction.GetAutocastDtype] = "?get_autocast_dtype@autocast@at@@YA?AW4ScalarType@c10@@W4DeviceType@4@@Z",
        [LibTorchFunction.SetAutocastDtype] = "?set_autocast_dtype@autocast@at@@YAXW4DeviceType@c10@@W4ScalarType@4@@Z",
        [LibTorchFunction.IncrementAutocastNesting] = "?increment_nesting@autocast@at@@YAHXZ",
        [LibTorchFunction.DecrementAutocastNesting] = "?decrement_nesting@autocast@at@@YAHXZ",
        [LibTorchFunction.ClearAutocastCache] = "?clear_cache@autocast@at@@YAXXZ",
        [LibTorchFunction.MpsIsAvailable] = "?is_available@mps@torch@@YA_NXZ",
    };

    /// <summary>The table for <paramref name="platform"/>.</summary>
    public static IReadOnlyDictionary<LibTorchFunction, string> For(NativePlatform platform) => platform.IsWindows ? Msvc : Itanium;
}
