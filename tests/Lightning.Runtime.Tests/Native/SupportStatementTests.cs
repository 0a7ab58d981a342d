using System.Text.Json;
using System.Text.RegularExpressions;
using Lightning.Native;
using Lightning.Tests.Support;

namespace Lightning.Tests.Native;

/// <summary>What the README and the templates say is supported is what the runtime supports.</summary>
[TestClass]
public sealed partial class SupportStatementTests
{
    [TestMethod]
    public void TheReadmesPlatformTableListsThePlatformsWithALibTorchBuild()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("\n## Platforms\n", StringComparison.Ordinal)..];
        var rows = TableRow().Matches(section).Select(m => m.Groups["rid"].Value).ToList();
        CollectionAssert.AreEqual(NativePlatform.Supported.ToList(), rows);
    }

    [TestMethod]
    [DataRow("lightning")]
    [DataRow("lightning-classifier")]
    public void TheTemplatesBackendChoicesSayWhereEachWorks(string template)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "templates", "content", template, ".template.config", "template.json")));
        var choices = json.RootElement.GetProperty("symbols").GetProperty("backend").GetProperty("choices").EnumerateArray()
            .ToDictionary(c => c.GetProperty("choice").GetString()!, c => c.GetProperty("description").GetString()!);
        foreach (var rid in NativePlatform.Supported) StringAssert.Contains(choices["cpu"], rid);
        StringAssert.Contains(choices["cpu"], "Visual C++ runtime");
        StringAssert.Contains(choices["cpu"], "macOS 15");
        StringAssert.StartsWith(choices["none"], "Linux x64 only");
        StringAssert.Contains(choices["none"], NativePlatform.TorchLibEnvironmentVariable);
    }

    [GeneratedRegex(@"^\| `(?<rid>(linux|win|osx)-[a-z0-9]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
