using System.Runtime.InteropServices;
using TorchSharp;

namespace Lightning.Backends;

/// <summary>
/// Global LibTorch switches that TorchSharp 0.107 does not expose (its <c>use_deterministic_algorithms</c> is
/// marked "not implemented"). They are read and set on <c>at::globalContext()</c> through LibTorch's exported
/// C++ symbols, which have stable Itanium-ABI names on Linux and macOS.
/// </summary>
internal static class LibTorchContext
{
    private static readonly Lazy<Api?> Native = new(Bind);

    /// <summary>Whether the switches can be reached on this platform.</summary>
    public static bool Available => Native.Value is not null;

    /// <summary>
    /// Turns deterministic algorithms (and deterministic, non-benchmarking cuDNN) on or off until the returned
    /// scope is disposed, which restores the previous setting. Returns null where the switch is unreachable.
    /// </summary>
    public static IDisposable? UseDeterministicAlgorithms(bool enabled)
    {
        if (Native.Value is not { } api) return null;
        var context = api.GlobalContext();
        var previous = api.GetDeterministic(context);
        api.SetDeterministic(context, enabled, false);
        api.SetDeterministicCudnn(context, enabled);
        if (enabled) api.SetBenchmarkCudnn(context, false);
        return new Restore(() =>
        {
            api.SetDeterministic(context, previous, false);
            api.SetDeterministicCudnn(context, previous);
        });
    }

    /// <summary>Whether LibTorch currently requires deterministic algorithms; null where unreachable.</summary>
    public static bool? DeterministicAlgorithms => Native.Value is { } api ? api.GetDeterministic(api.GlobalContext()) : null;

    /// <summary>
    /// LibTorch's CPU library as loaded in this process, for binding its exported C++ symbols; null on Windows
    /// (whose C++ names are mangled differently) or where it cannot be found.
    /// </summary>
    internal static IntPtr? Library
    {
        get
        {
            if (OperatingSystem.IsWindows()) return null;
            // Any TorchSharp call loads LibTorch first; after that the name resolves to the library already in the process.
            _ = torch.get_num_threads();
            var name = OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so";
            return NativeLibrary.TryLoad(name, typeof(torch).Assembly, null, out var library) ? library : null;
        }
    }

    /// <summary>The exported function <paramref name="symbol"/> of <paramref name="library"/> as a delegate.</summary>
    /// <exception cref="EntryPointNotFoundException">The library does not export it.</exception>
    internal static T Export<T>(IntPtr library, string symbol) where T : Delegate =>
        NativeLibrary.TryGetExport(library, symbol, out var address)
            ? Marshal.GetDelegateForFunctionPointer<T>(address)
            : throw new EntryPointNotFoundException(symbol);

    private static Api? Bind()
    {
        if (Library is not { } library) return null;
        try
        {
            return new Api(
                Export<GlobalContextFn>(library, "_ZN2at13globalContextEv"),
                Export<GetFlagFn>(library, "_ZNK2at7Context23deterministicAlgorithmsEv"),
                Export<SetDeterministicFn>(library, "_ZN2at7Context26setDeterministicAlgorithmsEbb"),
                Export<SetFlagFn>(library, "_ZN2at7Context21setDeterministicCuDNNEb"),
                Export<SetFlagFn>(library, "_ZN2at7Context17setBenchmarkCuDNNEb"));
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContextFn();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool GetFlagFn(IntPtr context);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetDeterministicFn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled, [MarshalAs(UnmanagedType.U1)] bool warnOnly);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetFlagFn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    private sealed record Api(GlobalContextFn GlobalContext, GetFlagFn GetDeterministic, SetDeterministicFn SetDeterministic,
        SetFlagFn SetDeterministicCudnn, SetFlagFn SetBenchmarkCudnn);

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
