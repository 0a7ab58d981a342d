using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Native;

/// <summary>
/// Where a tensor's elements live in memory. TorchSharp 0.107 has no <c>data_ptr()</c>, but LibTorchSharp exports
/// what it needs: the flat buffers compare addresses to tell whether a parameter's gradient is still the view they
/// handed out or was replaced (dropped by <c>zero_grad(set_to_none)</c>, or rebuilt by a backward with
/// <c>create_graph</c>). Reading an address costs no tensor wrapper, so checking every parameter each step is cheap.
/// </summary>
internal static class TensorAddresses
{
    private static readonly Lazy<Api> Native = new(Bind);

    /// <summary>The address of <paramref name="tensor"/>'s first element.</summary>
    public static IntPtr Data(Tensor tensor) => Native.Value.Data(tensor.Handle);

    /// <summary>The address of the first element of <paramref name="parameter"/>'s gradient; <see cref="IntPtr.Zero"/> when it has none.</summary>
    public static IntPtr Gradient(Tensor parameter)
    {
        var api = Native.Value;
        var grad = api.Grad(parameter.Handle);
        if (grad == IntPtr.Zero) return IntPtr.Zero;
        try
        {
            return api.Data(grad);
        }
        finally
        {
            api.Dispose(grad);
        }
    }

    private static Api Bind()
    {
        var library = NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null);
        return new Api(
            Export<HandleFn>(library, "THSTensor_data"),
            Export<HandleFn>(library, "THSTensor_grad"),
            Export<DisposeFn>(library, "THSTensor_dispose"));
    }

    private static T Export<T>(IntPtr library, string symbol) where T : Delegate =>
        Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, symbol));

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr HandleFn(IntPtr tensor);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void DisposeFn(IntPtr tensor);

    private sealed record Api(HandleFn Data, HandleFn Grad, DisposeFn Dispose);
}
