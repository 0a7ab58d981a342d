using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Lightning.Native;

/// <summary>
/// Makes a failure to load TorchSharp's native library name its real cause. TorchSharp itself reports every such
/// failure as a missing package reference, also when the package is there and the machine's libstdc++ is too old, the
/// Visual C++ runtime or Homebrew's libomp is missing, macOS is too old, or no LibTorch exists for the platform.
/// </summary>
internal static class NativeRuntime
{
    private static volatile bool s_failedOnLoad;

    /// <summary>
    /// Runs when this assembly loads, which is before a user's module is constructed and so before its field
    /// initialisers (which run ahead of every base constructor) create TorchSharp layers. Loading LibTorchSharp here
    /// costs nothing on the happy path: TorchSharp loads the same library on first use and the loader keeps it.
    /// An old libstdc++ stops the process here, since nothing can replace the copy the process has mapped. Other
    /// failures wait for the first <see cref="LightningModule"/>: the application may still load a LibTorch itself
    /// (from a Python install, say), and tools may load this assembly only to read its types.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "The check must run before user code first touches TorchSharp, and the field initialisers of a LightningModule subclass do that before any Lightning constructor runs.")]
    internal static void CheckOnLoad()
    {
        // A LibTorch named by LIGHTNING_TORCH_LIB must be in before anything, this probe included, loads one by name.
        LibTorch.UseFromEnvironment();
        if (Probe() is not { } failure) return;
        if (failure.Cause == NativeFailureCause.LibStdCxxTooOld) throw new NativeRuntimeException(failure.Describe());
        s_failedOnLoad = true;
        AppDomain.CurrentDomain.UnhandledException += ExplainTorchSharpFailure;
    }

    /// <summary>
    /// Throws <see cref="NativeRuntimeException"/> naming the cause when LibTorchSharp failed to load when this
    /// assembly loaded and still does not; returns at once when it loaded then.
    /// </summary>
    internal static void EnsureAvailable()
    {
        if (!s_failedOnLoad) return;
        if (Probe() is { } failure) throw new NativeRuntimeException(failure.Describe());
        s_failedOnLoad = false;
    }

    /// <summary>Loads LibTorchSharp the way TorchSharp does: <see langword="null"/> when it loads, else what went wrong.</summary>
    internal static NativeLoadFailure? Probe()
    {
        var torchSharp = typeof(torch).Assembly;
        // LibTorch goes first, as in TorchSharp, so LibTorchSharp's dependency on it is met by the copy beside the application.
        var backendLoaded = NativeLibrary.TryLoad("torch_cpu", torchSharp, null, out _);
        try
        {
            NativeLibrary.Load("LibTorchSharp", torchSharp, null);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            var platform = NativePlatform.Current;
            var libStdCxx = NativeLibraryCheck.FindLibStdCxx(ProcessMaps.Current());
            return new NativeLoadFailure(
                platform,
                e.Message,
                backendLoaded,
                platform.FindMissingSystemLibraries(),
                libStdCxx,
                libStdCxx is null || NativeLibraryCheck.Provides(libStdCxx),
                torchSharp.GetName().Version?.ToString(3) ?? "in use");
        }
    }

    // Reached when user code touched TorchSharp before any Lightning constructor could check, for example from a field
    // initialiser of a LightningModule subclass: TorchSharp's own message has gone out, so the cause follows it.
    private static void ExplainTorchSharpFailure(object sender, UnhandledExceptionEventArgs e)
    {
        if (e.ExceptionObject is Exception exception && IsTorchSharpLoadFailure(exception) && Probe() is { } failure)
            Output.Error.WriteLine(failure.Describe());
    }

    private static bool IsTorchSharpLoadFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NativeRuntimeException) return false;
            if (e is DllNotFoundException || e is TypeInitializationException { TypeName: { } type } && type.StartsWith("TorchSharp.", StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
