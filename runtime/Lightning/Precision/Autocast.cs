using System.Runtime.InteropServices;
using Lightning.Backends;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Precision;

/// <summary>
/// LibTorch's autocast (what <c>torch.autocast</c> turns on in Python), reached through LibTorch's exported C++
/// symbols because TorchSharp 0.107 has no binding for it. While a scope is open on a thread, LibTorch runs
/// matrix products and convolutions in the low type and precision-sensitive operations (softmax, losses,
/// reductions) in float32, casting their inputs; parameters stay float32, so gradients reach them in float32.
/// </summary>
internal sealed class Autocast : IDisposable
{
    private static readonly Lazy<Api?> Native = new(Bind);

    private readonly Api _api;
    private readonly sbyte _deviceType;
    private readonly bool _wasEnabled;
    private readonly sbyte _previousType;
    private bool _disposed;

    private Autocast(Api api, DeviceType deviceType, ScalarType dtype)
    {
        _api = api;
        _deviceType = (sbyte)deviceType;
        _wasEnabled = api.IsEnabled(_deviceType);
        _previousType = api.GetDtype(_deviceType);
        api.SetDtype(_deviceType, (sbyte)dtype);
        api.SetEnabled(_deviceType, true);
        api.IncrementNesting();
    }

    /// <summary>Whether autocast can be reached in this process (not on Windows, whose C++ names are mangled differently).</summary>
    public static bool Available => Native.Value is not null;

    /// <summary>Runs operations on <paramref name="deviceType"/> in <paramref name="dtype"/> where autocast allows it, until disposed.</summary>
    /// <exception cref="PlatformNotSupportedException">Autocast cannot be reached (see <see cref="Available"/>).</exception>
    public static Autocast Enter(DeviceType deviceType, ScalarType dtype) =>
        new(Native.Value ?? throw new PlatformNotSupportedException(
            "Mixed precision needs LibTorch's autocast, which Lightning reaches through LibTorch's exported C++ symbols; " +
            "they were not found in this process (Windows is not supported)."), deviceType, dtype);

    /// <summary>Leaves the scope: the previous setting comes back, and the cast weights are freed when the outermost scope closes.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // As torch.autocast's exit: the cache of cast weights lives as long as the outermost scope.
        if (_api.DecrementNesting() == 0) _api.ClearCache();
        _api.SetEnabled(_deviceType, _wasEnabled);
        _api.SetDtype(_deviceType, _previousType);
    }

    private static Api? Bind()
    {
        if (LibTorchContext.Library is not { } library) return null;
        try
        {
            return new Api(
                LibTorchContext.Export<IsEnabledFn>(library, "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE"),
                LibTorchContext.Export<SetEnabledFn>(library, "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb"),
                LibTorchContext.Export<GetDtypeFn>(library, "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE"),
                LibTorchContext.Export<SetDtypeFn>(library, "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE"),
                LibTorchContext.Export<NestingFn>(library, "_ZN2at8autocast17increment_nestingEv"),
                LibTorchContext.Export<NestingFn>(library, "_ZN2at8autocast17decrement_nestingEv"),
                LibTorchContext.Export<ClearCacheFn>(library, "_ZN2at8autocast11clear_cacheEv"));
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    // c10::DeviceType and c10::ScalarType are enums over int8_t.
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool IsEnabledFn(sbyte deviceType);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetEnabledFn(sbyte deviceType, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate sbyte GetDtypeFn(sbyte deviceType);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetDtypeFn(sbyte deviceType, sbyte dtype);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int NestingFn();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void ClearCacheFn();

    private sealed record Api(IsEnabledFn IsEnabled, SetEnabledFn SetEnabled, GetDtypeFn GetDtype, SetDtypeFn SetDtype,
        NestingFn IncrementNesting, NestingFn DecrementNesting, ClearCacheFn ClearCache);
}
