using System.ComponentModel;
using System.Diagnostics;

namespace Lightning.Native;

/// <summary>Finds the <c>torch/lib</c> folder of the PyTorch that <c>python3</c> would import, without importing it.</summary>
internal static class PythonTorch
{
    private const string Script =
        "import importlib.util; s = importlib.util.find_spec('torch'); print(list(s.submodule_search_locations)[0] if s else '')";

    /// <summary>The folder, which exists.</summary>
    /// <exception cref="InvalidOperationException">python3 is missing, fails, or has no torch; the message says which.</exception>
    public static string LibFolder(string python = "python3")
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"'{python}' could not be started.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Looking for PyTorch's torch/lib through Python failed: '{python}' was not found on PATH ({e.Message}). " +
                $"Install Python with PyTorch, or give the folder itself (TrainerOptions.TorchLibPath or {LibTorch.EnvironmentVariable}).", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd().Trim();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"Looking for PyTorch's torch/lib through Python failed: '{python}' did not answer within a minute.");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException(
                    $"Looking for PyTorch's torch/lib through Python failed: '{python}' exited with {process.ExitCode}: {stderr.Result.Trim()}");
            if (output.Length == 0)
                throw new InvalidOperationException(
                    $"'{python}' has no PyTorch installed (no 'torch' package to import). Install it (pip install torch, a CUDA build for GPUs), " +
                    $"or give a torch/lib folder (TrainerOptions.TorchLibPath or {LibTorch.EnvironmentVariable}).");
            var lib = Path.Combine(output, "lib");
            if (!File.Exists(Path.Combine(lib, "libtorch_cpu.so")))
                throw new InvalidOperationException(
                    $"'{python}' imports torch from {output}, which has no lib/libtorch_cpu.so (a distribution's package may keep LibTorch elsewhere). " +
                    $"Give the folder holding libtorch_cpu.so (TrainerOptions.TorchLibPath or {LibTorch.EnvironmentVariable}), or install PyTorch with pip.");
            return lib;
        }
    }
}
