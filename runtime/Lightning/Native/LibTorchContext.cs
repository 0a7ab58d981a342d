using System.Runtime.InteropServices;

namespace Lightning.Native;

/// <summary>
/// Global LibTorch state that TorchSharp 0.107 does not expose (its <c>use_deterministic_algorithms</c> is marked
/// "not implemented"): the switches of <c>at::globalContext()</c>, and whether MPS works, reached through the C++
/// functions LibTorch exports (<see cref="LibTorchExports"/>).
/// </summary>
internal static class LibTorchContext
{
    private static readonly Lazy<Api> Native = new(() => new Api(
        LibTorchExports.Function<GlobalContextFn>(LibTorchFunction.GlobalContext),
        LibTorchExports.Function<GetFlagFn>(LibTorchFunction.DeterministicAlgorithms),
        LibTorchExports.Function<SetDeterministicFn>(LibTorchFunction.SetDeterministicAlgorithms),
        LibTorchExports.Function<SetFlagFn>(LibTorchFunction.SetDeterministicCuDNN),
        LibTorchExports.Function<SetFlagFn>(LibTorchFunction.SetBenchmarkCuDNN),
        LibTorchExports.Function<GetFlagFn>(LibTorchFunction.BenchmarkCuDNN)));

    private static readonly Lazy<IsAvailableFn> Mps = new(() => LibTorchExports.Function<IsAvailableFn>(LibTorchFunction.MpsIsAvailable));

    /// <summary>Fails now, with the reason, when the switches cannot be reached, so a run that asks for them never starts.</summary>
    /// <param name="option">The option that needs them, for the message (e.g. <c>Deterministic = true</c>).</param>
    /// <exception cref="NotSupportedException">A function is not exported; the message names it.</exception>
    public static void Require(string option) =>
        LibTorchExports.Require(Native, $"{option} needs LibTorch's global context switches", $"Leave {option} out, or use the LibTorch TorchSharp's backend packages ship.");

    /// <summary>
    /// Turns deterministic algorithms (and deterministic, non-benchmarking cuDNN) on or off until the returned
    /// scope is disposed, which restores the previous setting.
    /// </summary>
    public static IDisposable UseDeterministicAlgorithms(bool enabled)
    {
        var api = Native.Value;
        var context = api.GlobalContext();
        var previous = api.GetDeterministic(context);
        var benchmark = api.GetBenchmarkCudnn(context);
        api.SetDeterministic(context, enabled, false);
        api.SetDeterministicCudnn(context, enabled);
        if (enabled) api.SetBenchmarkCudnn(context, false);
        return new Restore(() =>
        {
            api.SetDeterministic(context, previous, false);
            api.SetDeterministicCudnn(context, previous);
            api.SetBenchmarkCudnn(context, benchmark);
        });
    }

    /// <summary>
    /// Turns cuDNN's autotuning (<c>torch.backends.cudnn.benchmark</c>) on or off until the returned scope is disposed,
    /// which restores the previous setting.
    /// </summary>
    public static IDisposable UseBenchmarkCudnn(bool enabled)
    {
        var api = Native.Value;
        var context = api.GlobalContext();
        var previous = api.GetBenchmarkCudnn(context);
        api.SetBenchmarkCudnn(context, enabled);
        return new Restore(() => api.SetBenchmarkCudnn(context, previous));
    }

    /// <summary>Whether cuDNN currently autotunes its algorithms (<c>torch.backends.cudnn.benchmark</c>).</summary>
    public static bool BenchmarkCudnn
    {
        get
        {
            var api = Native.Value;
            return api.GetBenchmarkCudnn(api.GlobalContext());
        }
    }

    /// <summary>Whether LibTorch currently requires deterministic algorithms.</summary>
    public static bool DeterministicAlgorithms
    {
        get
        {
            var api = Native.Value;
            return api.GetDeterministic(api.GlobalContext());
        }
    }

    /// <summary>What LibTorch says about MPS (<c>torch.backends.mps.is_available()</c>): built with it, on a macOS and a Mac whose Metal it can use.</summary>
    /// <exception cref="EntryPointNotFoundException">The function is not exported; the message names it.</exception>
    public static bool MpsIsAvailable => Mps.Value();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContextFn();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool GetFlagFn(IntPtr context);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetDeterministicFn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled, [MarshalAs(UnmanagedType.U1)] bool warnOnly);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetFlagFn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool IsAvailableFn();

    private sealed record Api(GlobalContextFn GlobalContext, GetFlagFn GetDeterministic, SetDeterministicFn SetDeterministic,
        SetFlagFn SetDeterministicCudnn, SetFlagFn SetBenchmarkCudnn, GetFlagFn GetBenchmarkCudnn);
}
