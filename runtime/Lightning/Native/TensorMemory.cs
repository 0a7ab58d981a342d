using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Native;

/// <summary>
/// The address of a tensor's first element, which MPI and NCCL read and write. TorchSharp has no <c>data_ptr()</c>;
/// its native library exports <c>THSTensor_data</c>, which returns it for the tensor behind a public handle.
/// </summary>
internal static unsafe class TensorMemory
{
    private static readonly delegate* unmanaged<nint, void*> s_data = (delegate* unmanaged<nint, void*>)NativeLibrary.GetExport(
        NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null), "THSTensor_data");

    /// <summary>The address of <paramref name="tensor"/>'s first element; the tensor must be contiguous for its elements to follow it.</summary>
    public static void* DataPointer(Tensor tensor) => s_data(tensor.Handle);
}
