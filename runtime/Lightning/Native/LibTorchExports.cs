using System.Runtime.InteropServices;
using TorchSharp;

namespace Lightning.Native;

/// <summary>
/// Binds the <see cref="LibTorchFunction"/>s in the LibTorch CPU library this process loaded, by the names this
/// platform's table (<see cref="LibTorchSymbols"/>) gives them.
/// </summary>
internal static class LibTorchExports
{
    private static readonly Lazy<IntPtr> TorchCpu = new(Load);

    /// <summary>The function as a delegate.</summary>
    /// <exception cref="EntryPointNotFoundException">
    /// The library or the function is not there; the message names the symbol, the library and the platform.
    /// </exception>
    public static T Function<T>(LibTorchFunction function) where T : Delegate
    {
        var platform = NativePlatform.Current;
        var symbol = LibTorchSymbols.For(platform)[function];
        return NativeLibrary.TryGetExport(TorchCpu.Value, symbol, out var address)
            ? Marshal.GetDelegateForFunctionPointer<T>(address)
            : throw new EntryPointNotFoundException(
                $"the LibTorch loaded in this process ({platform.TorchCpuFile}, {platform.Rid}) does not export {symbol} ({function}); " +
                $"TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)} expects the LibTorch of its backend packages (2.10).");
    }

    /// <summary>The address of the C function <paramref name="symbol"/> in LibTorch's CPU library, or <see cref="IntPtr.Zero"/> when it does not export it (or is not loaded).</summary>
    public static IntPtr TryAddress(string symbol)
    {
        try
        {
            return NativeLibrary.TryGetExport(TorchCpu.Value, symbol, out var address) ? address : IntPtr.Zero;
        }
        catch (EntryPointNotFoundException)
        {
            return IntPtr.Zero;
        }
    }

    /// <summary>Binds <paramref name="functions"/> now, so a run that needs them fails before it starts rather than midway.</summary>
    /// <param name="functions">The lazily bound functions.</param>
    /// <param name="need">What needs them, as the start of the message: "Deterministic = true needs LibTorch's global context switches".</param>
    /// <param name="fix">What to do instead, ending the message.</param>
    /// <exception cref="NotSupportedException">A function is not exported; the message names it.</exception>
    public static void Require<T>(Lazy<T> functions, string need, string fix)
    {
        try
        {
            _ = functions.Value;
        }
        catch (EntryPointNotFoundException e)
        {
            throw new NotSupportedException($"{need}, but {e.Message} {fix}", e);
        }
    }

    private static IntPtr Load()
    {
        // Any TorchSharp call loads LibTorch first; after that the name resolves to the library already in the process.
        _ = torch.get_num_threads();
        var file = NativePlatform.Current.TorchCpuFile;
        return NativeLibrary.TryLoad(file, typeof(torch).Assembly, null, out var library)
            ? library
            : throw new EntryPointNotFoundException($"LibTorch's CPU library {file} is not loaded in this process, so its C++ functions cannot be reached.");
    }
}
