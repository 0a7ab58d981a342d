using System.Runtime.InteropServices;
using Lightning.Native;
using TorchSharp;

namespace Lightning;

/// <summary>
/// Runs TorchSharp on the LibTorch of an existing PyTorch install (its <c>torch/lib</c> folder), so a Linux
/// machine with a CUDA PyTorch trains on the GPU without a TorchSharp CUDA package (which is about 2 GB).
/// <para>
/// Order matters: LibTorch must come from that folder before TorchSharp first loads a LibTorch, which it does on the
/// first <c>torch.*</c> call (creating a layer counts). Three ways, from earliest to latest:
/// set the environment variable <c>LIGHTNING_TORCH_LIB</c> (read as soon as the Lightning assembly loads, so an
/// unchanged program works; a failure is reported when the first <see cref="Trainer"/> is created), call <see cref="Use"/> at the start of <c>Main</c>, or set
/// <see cref="TrainerOptions.TorchLibPath"/>, which works only when nothing touched TorchSharp before the
/// <see cref="Trainer"/> was created. Each takes a folder or <c>"python"</c> (ask <c>python3</c> where its torch is).
/// </para>
/// </summary>
public static class LibTorch
{
    /// <summary>The environment variable read when the Lightning assembly loads: a <c>torch/lib</c> folder, or <c>python</c>.</summary>
    public const string EnvironmentVariable = NativePlatform.TorchLibEnvironmentVariable;

    // LibTorch's libraries in dependency order; the CUDA pair is absent from CPU-only installs.
    private static readonly string[] LoadOrder = ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"];
    private static readonly string[] Required = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];
    private static readonly Lock Gate = new();
    private static Exception? _environmentError;

    /// <summary>The folder LibTorch was loaded from by <see cref="Use"/>, or null when TorchSharp loads its own.</summary>
    public static string? Location { get; private set; }

    /// <summary>Whether the LibTorch loaded by <see cref="Use"/> has CUDA (its <c>libtorch_cuda.so</c> was found and loaded).</summary>
    public static bool HasCuda { get; private set; }

    /// <summary>
    /// Loads LibTorch from <paramref name="location"/> (a <c>torch/lib</c> folder, the <c>torch</c> package folder
    /// above it, or <c>"python"</c> to ask <c>python3</c>) and then TorchSharp's native library, which binds to it.
    /// Returns the folder. Calling it again with the same folder does nothing.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    /// <exception cref="InvalidOperationException">TorchSharp already loaded another LibTorch, or Python has no torch; the message says how to fix it.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist or holds no LibTorch.</exception>
    /// <exception cref="DllNotFoundException">A library failed to load; the message carries the loader's reason.</exception>
    public static string Use(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        RequireLinux(NativePlatform.Current);
        var folder = Resolve(location);
        lock (Gate)
        {
            if (Location == folder) return folder;
            if (Location is not null)
                throw new InvalidOperationException(
                    $"LibTorch from {folder} was asked for, but LibTorch was already loaded from {Location}; a process can load it from one place only.");
            RequireNoBundledLibTorch(folder);
            var loaded = ProcessMaps.PathOf("libtorch_cpu.so");
            if (loaded is not null && Path.GetDirectoryName(loaded) != folder)
                throw new InvalidOperationException(
                    $"LibTorch from {folder} was asked for, but TorchSharp already loaded LibTorch from {Path.GetDirectoryName(loaded)}: it loads it on " +
                    "the first torch call, which creating a module's layers makes. Choose the folder earlier: set the environment variable " +
                    $"{EnvironmentVariable}={location} (read when Lightning loads), or call LibTorch.Use(\"{location}\") first thing in Main.");
            foreach (var file in LoadOrder)
            {
                var path = Path.Combine(folder, file);
                if (!File.Exists(path)) continue;
                Load(path, folder);
                HasCuda |= file == "libtorch_cuda.so";
            }
            LoadTorchSharp(folder);
            Location = folder;
            return folder;
        }
    }

    /// <summary>Refuses a platform other than Linux, saying what to reference there instead.</summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    internal static void RequireLinux(NativePlatform platform)
    {
        if (!platform.IsLinux)
            throw new PlatformNotSupportedException(
                "Loading LibTorch from a PyTorch install (TrainerOptions.TorchLibPath, " + EnvironmentVariable + ") is supported on Linux only. " +
                (platform.IsWindows
                    ? "On Windows reference TorchSharp-cpu, or TorchSharp-cuda-windows for CUDA."
                    : "On macOS reference TorchSharp-cpu, which carries LibTorch for Apple silicon (CPU and MPS)."));
    }

    /// <summary>Applies <see cref="TrainerOptions.TorchLibPath"/>, after reporting a failure of <c>LIGHTNING_TORCH_LIB</c> at start-up.</summary>
    internal static void Apply(string? torchLibPath)
    {
        if (_environmentError is { } error)
            throw new InvalidOperationException(
                $"{EnvironmentVariable}={Environment.GetEnvironmentVariable(EnvironmentVariable)} could not be used: {error.Message}", error);
        if (!string.IsNullOrWhiteSpace(torchLibPath)) Use(torchLibPath);
    }

    /// <summary>
    /// Applies <c>LIGHTNING_TORCH_LIB</c>; called when the Lightning assembly loads (see <c>NativeRuntime.CheckOnLoad</c>),
    /// which is before a user's module is constructed and so before its field initialisers create TorchSharp layers.
    /// </summary>
    internal static void UseFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        // Set off Linux, it is refused as TorchLibPath is rather than ignored, so a run never uses another LibTorch than the one asked for.
        if (string.IsNullOrWhiteSpace(value)) return;
        try
        {
            Use(value);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or DllNotFoundException or BadImageFormatException or PlatformNotSupportedException)
        {
            // Thrown from here it would surface as a type-initialisation failure far from its cause. The Trainer reports it;
            // said now too, since a module's layers may hit TorchSharp's own load error before any Trainer exists.
            _environmentError = e;
            Output.Error.WriteLine($"Lightning: {EnvironmentVariable}={value} could not be used: {e.Message}");
        }
    }

    private static string Resolve(string location)
    {
        var folder = location.Trim() is "python" or "python3" ? PythonTorch.LibFolder() : Path.GetFullPath(location);
        if (!File.Exists(Path.Combine(folder, "libtorch_cpu.so")) && File.Exists(Path.Combine(folder, "lib", "libtorch_cpu.so")))
            folder = Path.Combine(folder, "lib");
        folder = Path.TrimEndingDirectorySeparator(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The LibTorch folder {folder} does not exist. Give the torch/lib folder of a PyTorch install, or \"python\".");
        var missing = Required.Where(file => !File.Exists(Path.Combine(folder, file))).ToList();
        if (missing.Count > 0)
            throw new DirectoryNotFoundException(
                $"{folder} is not a LibTorch folder: {string.Join(", ", missing)} missing. Give the torch/lib folder of a PyTorch install " +
                "(python3 -c \"import torch, os; print(os.path.dirname(torch.__file__) + '/lib')\" prints it), or \"python\".");
        return folder;
    }

    private static void Load(string path, string folder)
    {
        try
        {
            NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                $"Loading {Path.GetFileName(path)} from {folder} failed: {e.Message} A CUDA PyTorch finds its CUDA libraries through the " +
                "nvidia-* Python packages installed beside it; check that the install works (python3 -c \"import torch\").", e);
        }
    }

    private static void LoadTorchSharp(string folder)
    {
        // Where the application's deps.json put TorchSharp's native asset, which is where TorchSharp will look for it; the
        // loader matches its LibTorch dependencies by soname to the libraries loaded above, as it does TorchSharp's own loads.
        var path = NativeSearchDirectories().Select(dir => Path.Combine(dir, "libLibTorchSharp.so")).FirstOrDefault(File.Exists)
            ?? throw new DllNotFoundException(
                $"LibTorch was loaded from {folder}, but TorchSharp's native library libLibTorchSharp.so is not beside the application. It comes " +
                "with the TorchSharp package (runtimes/linux-x64/native); reference TorchSharp and build or publish for linux-x64 or as a portable app.");
        try
        {
            NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                $"LibTorch was loaded from {folder}, but TorchSharp's native library did not load against it: {e.Message} An 'undefined symbol' " +
                $"means this LibTorch is too far from the one TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)} was built for " +
                "(LibTorch 2.10; a recent PyTorch 2.x works).", e);
        }
    }

    // The folders .NET probes for the application's native libraries (deps.json's native assets), and the application's own.
    private static IEnumerable<string> NativeSearchDirectories() =>
        (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(AppContext.BaseDirectory);

    /// <summary>
    /// TorchSharp's type initialiser loads libtorch_cpu by name through .NET's probing, which takes the copy in the
    /// application's folders when a backend package (TorchSharp-cpu, TorchSharp-cuda-*) is referenced too, by path, so
    /// the loader cannot reuse the one loaded here; two LibTorch builds in one process abort. Refuse that before loading.
    /// </summary>
    internal static void RequireNoBundledLibTorch(string folder, IEnumerable<string>? searched = null)
    {
        var bundled = (searched ?? NativeSearchDirectories())
            .Select(dir => Path.Combine(dir, "libtorch_cpu.so"))
            .FirstOrDefault(path => File.Exists(path) && Path.GetDirectoryName(Path.GetFullPath(path)) != folder);
        if (bundled is not null)
            throw new InvalidOperationException(
                $"LibTorch from {folder} was asked for, but this application carries its own LibTorch ({Path.GetDirectoryName(bundled)}, from a " +
                "TorchSharp backend package such as TorchSharp-cpu), which TorchSharp loads by path beside it; two LibTorch builds cannot share a " +
                "process. Reference the TorchSharp package alone, without a backend package, to run on a PyTorch install's LibTorch.");
    }
}
