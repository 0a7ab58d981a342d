using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Native;

/// <summary>
/// LibTorch's autocast (what <c>torch.autocast</c> turns on in Python), reached through LibTorch's exported C++
/// symbols because TorchSharp 0.107 has no binding for it. While a scope is open on a thread, LibTorch runs
/// matrix products and convolutions in the low type and precision-sensitive operations (softmax, losses,
/// reductions) in float32, casting their inputs; parameters stay float32, so gradients reach them in float32.
/// </summary>
internal sealed class Autocast : IDisposable
{
    private static readonly Lazy<Api> Native = new(() => new Api(
        LibTorchExports.Function<IsEnabledFn>(LibTorchFunction.IsAutocastEnabled),
        LibTorchExports.Function<SetEnabledFn>(LibTorchFunction.SetAutocastEnabled),
        LibTorchExports.Function<GetDtypeFn>(LibTorchFunction.GetAutocastDtype),
        LibTorchExports.Function<SetDtypeFn>(LibTorchFunction.SetAutocastDtype),
        LibTorchExports.Function<NestingFn>(LibTorchFunction.IncrementAutocastNesting),
        LibTorchExports.Function<NestingFn>(LibTorchFunction.DecrementAutocastNesting),
        LibTorchExports.Function<ClearCacheFn>(LibTorchFunction.ClearAutocastCache)));

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

    /// <summary>Fails now, with the reason, when autocast cannot be reached, so a run that needs it never starts.</summary>
    /// <param name="precision">The precision that needs it, for the message.</param>
    /// <exception cref="NotSupportedException">A function is not exported; the message names it.</exception>
    public static void Require(string precision) =>
        LibTorchExports.Require(Native, $"Precision '{precision}' needs LibTorch's autocast",
            "Use '32-true', or 'bf16-true' / '16-true' where the device supports them.");

    /// <summary>Runs operations on <paramref name="deviceType"/> in <paramref name="dtype"/> where autocast allows it, until disposed.</summary>
    public static Autocast Enter(DeviceType deviceType, ScalarType dtype) => new(Native.Value, deviceType, dtype);

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
