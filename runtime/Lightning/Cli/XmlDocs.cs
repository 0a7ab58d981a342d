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
            .ToDictionary(m => (string)m.Attribute("name")!, m => PlainText(m.Element("summary")!), StringComparer.Ordinal);
    }

    private static string PlainText(XElement element)
    {
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "see" or "seealso" } see =>
                    (string?)see.Attribute("langword") ?? ((string?)see.Attribute("cref"))?.Split('.', ':')[^1] ?? see.Value,
                XElement { Name.LocalName: "paramref" or "typeparamref" } reference => (string?)reference.Attribute("name"),
                XElement other => PlainText(other),
                _ => "",
            });
        }
        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
