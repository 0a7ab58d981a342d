using Lightning.Native;
using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using Lightning.Tool.CodeEditing;
using Lightning.Tool.Diagnostics;
using Lightning.Tool.Projects;

namespace Lightning.Tool.Commands;

/// <summary>
/// <c>dotnet lightning doctor</c>: checks what training needs (the SDK, the runtime package, TorchSharp's native
/// library and why it fails to load, CUDA) and lists the project's modules. Exit code 1 when something fails.
/// </summary>
internal static class DoctorCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(ToolContext context)
    {
        var project = CommonOptions.Project();
        var command = new Command("doctor", "Check the .NET SDK, the Lightning runtime package, TorchSharp's native library and CUDA, and list the project's modules.")
        {
            project,
        };
        command.SetAction(parse => Run(parse.GetValue(project), context));
        return command;
    }

    private static int Run(string? projectOption, ToolContext context)
    {
        var report = new DoctorReport(context.Output);
        CheckSdk(report);
        CSharpProject? project = null;
        try
        {
            project = CSharpProject.Load(ProjectLocator.Locate(projectOption, context));
            report.Ok($"Project: {project.Path}");
        }
        catch (ToolException e) when (projectOption is null)
        {
            report.Warn($"Project: none ({e.Message})");
        }
        if (project is not null) CheckPackages(project, report);
        CheckNative(project, report);
        if (project is not null) ListModules(project, report);
        return report.Failed ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static void CheckSdk(DoctorReport report)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet", "--list-sdks") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            var sdks = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(' ')[0]).ToList();
            process.WaitForExit();
            if (sdks.Count == 0) report.Fail(".NET SDK: none found; install the .NET 10 SDK.");
            else if (!sdks.Any(s => int.TryParse(s.Split('.')[0], out var major) && major >= 10)) report.Fail($".NET SDK: {string.Join(", ", sdks)}; Lightning for .NET needs the .NET 10 SDK or newer.");
            else report.Ok($".NET SDK: {string.Join(", ", sdks)}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            report.Fail(".NET SDK: the dotnet command was not found on PATH.");
        }
    }

    private static void CheckPackages(CSharpProject project, DoctorReport report)
    {
        var toolVersion = typeof(DoctorCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";
        var runtime = project.PackageVersion("Lightning.Runtime");
        var projectReference = project.Items("ProjectReference").Select(e => e.Attribute("Include")?.Value).FirstOrDefault(p => p is not null && p.Replace('\\', '/').EndsWith("/Lightning.csproj", StringComparison.OrdinalIgnoreCase));
        if (runtime is not null)
        {
            if (runtime == toolVersion) report.Ok($"Lightning.Runtime: {runtime}");
            else report.Warn($"Lightning.Runtime: {runtime}, but this tool is {toolVersion}; generated code follows the tool's runtime. Update one of them (dotnet tool update Lightning.Tool, or the package version).");
        }
        else if (projectReference is not null) report.Ok($"Lightning runtime: project reference {projectReference}");
        else report.Fail($"Lightning.Runtime: not referenced by {Path.GetFileName(project.Path)}. Add it: dotnet add package Lightning.Runtime --version {toolVersion}");

        var backends = new[] { "TorchSharp-cpu", "TorchSharp-cuda-linux", "TorchSharp-cuda-windows" }.Where(project.ReferencesPackage).ToList();
        if (backends.Count == 0)
            report.Warn("TorchSharp backend: none referenced; add TorchSharp-cpu (or a CUDA backend)" + (NativePlatform.Current.IsLinux
                ? $", or point TrainerOptions.TorchLibPath or {NativePlatform.TorchLibEnvironmentVariable} at the torch/lib folder of a PyTorch install."
                : $". (Running on a PyTorch install's LibTorch, TrainerOptions.TorchLibPath or {NativePlatform.TorchLibEnvironmentVariable}, works on Linux only.)"));
        else report.Ok($"TorchSharp backend: {string.Join(", ", backends.Select(b => $"{b} {project.PackageVersion(b)}"))}");
    }

    private static void CheckNative(CSharpProject? project, DoctorReport report)
    {
        var platform = NativePlatform.Current;
        var torchSharpVersion = new[] { "TorchSharp-cpu", "TorchSharp-cuda-linux", "TorchSharp-cuda-windows", "TorchSharp" }
            .Select(id => project?.PackageVersion(id)).FirstOrDefault(v => v is not null) ?? "(the version in use)";
        string? libStdCxx = null;
        if (platform.IsLinux)
        {
            // The dotnet host maps the system libstdc++, so this process's copy is the one a Lightning application gets.
            libStdCxx = NativeLibraryCheck.FindLibStdCxx(ProcessMaps.Current());
            if (libStdCxx is null) report.Fail("libstdc++: not found; install it (Debian/Ubuntu: libstdc++6 from GCC 13 or newer).");
            else if (NativeLibraryCheck.Provides(libStdCxx)) report.Ok($"libstdc++: {libStdCxx} provides {NativeLibraryCheck.RequiredGlibcxx}");
            else report.Fail($"libstdc++: {libStdCxx} lacks {NativeLibraryCheck.RequiredGlibcxx}, which TorchSharp 0.107's native library needs; install libstdc++ from GCC 13 or newer (the repository's eng/install-prerequisites.sh does).");
        }
        if (!platform.IsLinux && Environment.GetEnvironmentVariable(NativePlatform.TorchLibEnvironmentVariable) is { Length: > 0 } torchLib)
            report.Fail($"{NativePlatform.TorchLibEnvironmentVariable}={torchLib}: a PyTorch install's LibTorch is used on Linux only, and the Trainer refuses it here. " +
                $"Unset it and reference TorchSharp-cpu{(platform.IsWindows ? " (or TorchSharp-cuda-windows for CUDA)" : "")}.");
        NativeLoadFailure Failure(string loaderMessage, bool backendLoaded) => new(platform, loaderMessage, backendLoaded,
            platform.FindMissingSystemLibraries(), libStdCxx, libStdCxx is null || NativeLibraryCheck.Provides(libStdCxx), torchSharpVersion);
        if (!platform.HasLibTorchBuild || platform.MacOsTooOld)
        {
            report.Fail($"TorchSharp native library: {Failure("", backendLoaded: false).Describe()}");
            return;
        }
        var (torchCpu, libTorchSharp) = TorchSharpNatives.Locate(project?.Directory, platform);
        if (torchCpu is null || libTorchSharp is null)
        {
            report.Warn($"TorchSharp native library: not found in the project's bin folder or the NuGet cache ({(torchCpu is null ? platform.TorchCpuFile : platform.LibTorchSharpFile)} missing); build the project (dotnet build) and run doctor again.");
        }
        else
        {
            // The CPU library first: LibTorch's front library loads without it, so only it names a missing dependency of LibTorch.
            var backendError = NativeLibraryProbe.TryLoad(torchCpu) ?? NativeLibraryProbe.TryLoad(Path.Combine(Path.GetDirectoryName(torchCpu)!, platform.TorchFile));
            var error = backendError ?? NativeLibraryProbe.TryLoad(libTorchSharp);
            if (error is null) report.Ok($"TorchSharp native library: loads ({libTorchSharp})");
            else report.Fail($"TorchSharp native library: {Failure(error, backendLoaded: backendError is null).Describe()}");
        }
        var cudaDriver = OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";
        var cudaError = NativeLibraryProbe.TryLoad(cudaDriver);
        var cudaBackend = project is not null && (project.ReferencesPackage("TorchSharp-cuda-linux") || project.ReferencesPackage("TorchSharp-cuda-windows"));
        if (cudaError is not null) report.Info("CUDA: not available (no NVIDIA driver: " + cudaError + "); training runs on the CPU.");
        else if (cudaBackend) report.Ok("CUDA: NVIDIA driver found and a CUDA backend is referenced; Accelerator = \"auto\" trains on the GPU.");
        else report.Info("CUDA: NVIDIA driver found, but the project references no CUDA backend (TorchSharp-cuda-linux / -windows), so it trains on the CPU.");
    }

    private static void ListModules(CSharpProject project, DoctorReport report)
    {
        var finder = new ModuleFinder(project.Documents, project.GlobalScope);
        var modules = finder.Find("LightningModule");
        var dataModules = finder.Find("LightningDataModule");
        if (modules.Count == 0) report.Warn("Modules: no class derives from LightningModule<TBatch>.");
        foreach (var module in modules)
            report.Ok($"Module: {module.FullName} (batch {module.Batch.Resolved}) in {string.Join(", ", module.Documents.Select(d => Path.GetRelativePath(project.Directory, d.Path)))}; overrides {string.Join(", ", module.Overrides.Order(StringComparer.Ordinal))}");
        foreach (var dataModule in dataModules)
            report.Ok($"Data module: {dataModule.FullName} (batch {dataModule.Batch.Resolved})");
        foreach (var error in project.Documents.Select(d => d.FirstSyntaxError()).OfType<string>())
            report.Fail($"Does not parse: {error}");
    }
}
