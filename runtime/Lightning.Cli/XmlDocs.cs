using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Lightning.Cli;

/// <summary>
/// Reads member summaries from an assembly's XML documentation file (the runtime's <c>Lightning.xml</c>, which
/// the package copies beside <c>Lightning.dll</c>), so help text has one source: the doc comments.
/// </summary>
internal static partial class XmlDocs
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Assembly, Dictionary<string, string>> Cache = new();

    /// <summary>The summary of <paramref name="property"/> as plain text, or null when the documentation file is absent.</summary>
    public static string? Summary(PropertyInfo property)
    {
        var members = Cache.GetOrAdd(property.DeclaringType!.Assembly, Load);
        return members.TryGetValue($"P:{property.DeclaringType.FullName}.{property.Name}", out var summary) ? summary : null;
    }

    private static Dictionary<string, string> Load(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (string.IsNullOrEmpty(assembly.Location) || !File.Exists(path)) return [];
        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => PlainText(m.Element("summary")!, DeclaringType((string)m.Attribute("name")!)), StringComparer.Ordinal);
    }

    private static string PlainText(XElement element, string declaringType)
    {
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "see" or "seealso" } see =>
                    (string?)see.Attribute("langword") ?? CrefText((string?)see.Attribute("cref"), declaringType) ?? see.Value,
                XElement { Name.LocalName: "paramref" or "typeparamref" } reference => (string?)reference.Attribute("name"),
                XElement other => PlainText(other, declaringType),
                _ => "",
            });
        }
        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    // "M:Lightning.LibTorch.Use(System.String)" reads as LibTorch.Use, "T:Lightning.Trainer" as Trainer, and a member of
    // the documented member's own type by its name alone (MaxSteps in TrainerOptions.MaxEpochs's summary).
    private static string? CrefText(string? cref, string declaringType)
    {
        if (cref is null) return null;
        var name = cref.Split('(', 2)[0];
        var segments = name[(name.IndexOf(':', StringComparison.Ordinal) + 1)..].Split('.').Select(p => p.Split('`')[0]).ToArray();
        return name.StartsWith("T:", StringComparison.Ordinal) || segments.Length < 2 || DeclaringType(name) == declaringType
            ? segments[^1]
            : $"{segments[^2]}.{segments[^1]}";
    }

    // "P:Lightning.TrainerOptions.MaxEpochs" is declared in "Lightning.TrainerOptions".
    private static string DeclaringType(string member)
    {
        var name = member.Split('(', 2)[0];
        var start = name.IndexOf(':', StringComparison.Ordinal) + 1;
        var end = name.LastIndexOf('.');
        return end > start ? name[start..end] : "";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
