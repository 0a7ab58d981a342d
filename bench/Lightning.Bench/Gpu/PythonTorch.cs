using System.Runtime.InteropServices;

namespace Lightning.Bench.Gpu;

/// <summary>
/// Loads LibTorch from an existing PyTorch install (its <c>torch/lib</c> folder) and then TorchSharp's native
/// bridge, before TorchSharp initialises, so the app runs on CUDA without a TorchSharp CUDA package. Must run
/// before the first use of any TorchSharp type.
/// </summary>
internal static class PythonTorch
{
    // Dependencies first: each library finds the ones before it already loaded, by their soname.
    private static readonly string[] Libraries = ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"];

    /// <summary>Loads the libraries from <paramref name="torchLib"/>, then <c>libLibTorchSharp.so</c> from beside the app.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist or lacks a library.</exception>
    public static void Preload(string torchLib)
    {
        if (!Directory.Exists(torchLib))
            throw new DirectoryNotFoundException(
                $"PyTorch's library folder '{torchLib}' does not exist. Set LIGHTNING_TORCH_LIB to \"$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib\".");
        foreach (var library in Libraries)
        {
            var path = Path.Combine(torchLib, library);
            if (!File.Exists(path))
                throw new DirectoryNotFoundException($"{torchLib} has no {library}; is it the lib folder of a CUDA build of PyTorch?");
            NativeLibrary.Load(path);
        }
        NativeLibrary.Load(Bridge());
    }

    private static string Bridge()
    {
        foreach (var folder in new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native") })
        {
            var path = Path.Combine(folder, "libLibTorchSharp.so");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"libLibTorchSharp.so is not beside the app in {AppContext.BaseDirectory}; publish with -r linux-x64.");
    }
}
