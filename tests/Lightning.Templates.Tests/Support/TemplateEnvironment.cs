using System.Globalization;
using System.Reflection;

namespace Lightning.Templates.Tests.Support;

/// <summary>
/// Packs the runtime, LightningCli and the templates of this checkout into a feed under a fresh temp folder, installs the
/// pack into an isolated template hive, and gives generated projects a NuGet setup of their own: a
/// nuget.config naming the feed, a package folder of their own (so no older Lightning.Runtime from
/// ~/.nuget/packages is used), and the user's package folder as a fallback (so TorchSharp is not copied again).
/// The packages get a version no other build uses, so nothing stale can match it.
/// </summary>
[TestClass]
public static class TemplateEnvironment
{
    private static readonly Dictionary<string, string> EnvironmentVariables = [];

    /// <summary>The temp folder holding everything the tests write.</summary>
    public static string Root { get; private set; } = "";

    /// <summary>The version the runtime and the templates were packed with.</summary>
    public static string Version { get; private set; } = "";

    /// <summary>The folder the packages were packed into.</summary>
    public static string Feed => Path.Combine(Root, "feed");

    /// <summary>The template hive the pack is installed in.</summary>
    public static string Hive => Path.Combine(Root, "hive");

    /// <summary>The templates as the build stamps them (versions written in, hook stubs written out): what the package holds.</summary>
    public static string Stamped => Path.Combine(Root, "stamped");

    /// <summary>The template package file.</summary>
    public static string TemplatePackage => Path.Combine(Feed, $"Lightning.Templates.{Version}.nupkg");

    /// <summary>The environment every dotnet process of the tests runs with.</summary>
    public static IReadOnlyDictionary<string, string> Variables => EnvironmentVariables;

    /// <summary>The build configuration of this test assembly, which the runtime package is made from.</summary>
    public static string Configuration { get; } =
        typeof(TemplateEnvironment).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    [AssemblyInitialize]
    public static void Initialize(TestContext context)
    {
        _ = context;
        Root = Path.Combine(Path.GetTempPath(), "lightning-template-tests", Guid.NewGuid().ToString("N")[..12]);
        Version = "0.0.0-templatetests." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(Feed);
        var userPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        EnvironmentVariables["NUGET_PACKAGES"] = Path.Combine(Root, "packages");
        EnvironmentVariables["DOTNET_NOLOGO"] = "1";
        EnvironmentVariables["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        EnvironmentVariables["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        EnvironmentVariables["MSBUILDDISABLENODEREUSE"] = "1";
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="lightning-template-tests" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="user-packages" value="{userPackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);

        foreach (var project in new[] { Path.Combine("Lightning", "Lightning.csproj"), Path.Combine("Lightning.Cli", "Lightning.Cli.csproj") })
            Dotnet.Run(Root, "pack", Path.Combine(RepositoryPaths.Root, "runtime", project), "-c", Configuration,
                "--no-build", $"-p:Version={Version}", "-o", Feed).ShouldSucceed();
        Dotnet.Run(Root, "pack", Path.Combine(RepositoryPaths.Templates, "Lightning.Templates.csproj"), "-c", Configuration,
            $"-p:Version={Version}", $"-p:StampedTemplatesDir={Stamped}/", "-o", Feed).ShouldSucceed();
        Dotnet.Run(Root, "new", "install", TemplatePackage, "--debug:custom-hive", Hive).ShouldSucceed();
    }

    [AssemblyCleanup]
    public static void Cleanup()
    {
        // Generated projects hold about 1 GB of LibTorch each.
        if (Root.Length > 0 && Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }

    /// <summary>A new empty folder under <see cref="Root"/>.</summary>
    public static string NewFolder(string name)
    {
        var path = Path.Combine(Root, "work", name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(path);
        return path;
    }
}
