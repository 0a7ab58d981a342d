using System.Text;

namespace Lightning.Tool.Tests.Support;

/// <summary>
/// A throw-away project folder under the temp folder: a .csproj and source files written byte-exactly (line
/// endings and byte-order marks as given), so tests can check that the tool leaves untouched bytes alone.
/// </summary>
internal sealed class ScratchProject : IDisposable
{
    public const string DefaultCsproj = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Lightning.Runtime" Version="0.1.0" />
            <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
          </ItemGroup>
        </Project>

        """;

    public ScratchProject(string name = "App", string? csproj = DefaultCsproj)
    {
        Directory = Path.Combine(Path.GetTempPath(), "lightning-tool-tests", Guid.NewGuid().ToString("N"), name);
        System.IO.Directory.CreateDirectory(Directory);
        if (csproj is not null) File.WriteAllText(Path.Combine(Directory, name + ".csproj"), csproj);
    }

    public string Directory { get; }

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    /// <summary>Writes <paramref name="text"/> (written with \n) with the given line ending and BOM.</summary>
    public string Write(string relative, string text, string lineEnding = "\n", bool bom = false)
    {
        var path = PathOf(relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var body = Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n").Replace("\n", lineEnding));
        File.WriteAllBytes(path, bom ? [0xEF, 0xBB, 0xBF, .. body] : body);
        return path;
    }

    public byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public string Text(string relative) => File.ReadAllText(PathOf(relative));

    public ToolRun Run(params string[] args) => ToolRun.Invoke(Directory, args);

    /// <summary>A snapshot of every file's bytes, to prove a failed command changed nothing.</summary>
    public Dictionary<string, byte[]> Snapshot() =>
        System.IO.Directory.GetFiles(Directory, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path.GetDirectoryName(Directory)!, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the test's result is what matters.
        }
    }
}
