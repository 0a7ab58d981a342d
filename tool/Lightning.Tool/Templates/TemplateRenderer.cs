using System.Reflection;
using Scriban;
using Scriban.Runtime;

namespace Lightning.Tool.Templates;

/// <summary>
/// Renders the Scriban templates embedded in the tool (<c>Templates/**/*.scriban</c>). Variables are strict:
/// a template naming a variable the tool does not supply fails loudly instead of rendering an empty string.
/// </summary>
internal static class TemplateRenderer
{
    private const string Prefix = "Lightning.Tool.Templates.";

    /// <summary>Whether a template of that name (e.g. <c>Hooks.ValidationStep</c>) is embedded.</summary>
    public static bool Exists(string name) => typeof(TemplateRenderer).Assembly.GetManifestResourceInfo(Prefix + name + ".scriban") is not null;

    /// <summary>The names of the embedded templates in <paramref name="folder"/> (e.g. <c>Hooks</c>), without folder and extension.</summary>
    public static IEnumerable<string> Names(string folder) =>
        typeof(TemplateRenderer).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix + folder + ".", StringComparison.Ordinal) && n.EndsWith(".scriban", StringComparison.Ordinal))
            .Select(n => n[(Prefix.Length + folder.Length + 1)..^".scriban".Length]);

    /// <summary>Renders template <paramref name="name"/> with <paramref name="variables"/> (snake_case names).</summary>
    public static string Render(string name, IReadOnlyDictionary<string, object?> variables)
    {
        var template = Template.Parse(Read(name), name);
        if (template.HasErrors) throw new InvalidOperationException($"The embedded template {name} has errors: {string.Join("; ", template.Messages)}");
        var globals = new ScriptObject();
        foreach (var (key, value) in variables) globals[key] = value;
        var context = new TemplateContext { StrictVariables = true, MemberRenamer = m => m.Name, TemplateLoader = new EmbeddedTemplateLoader() };
        context.PushGlobal(globals);
        return template.Render(context).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>The text of an embedded template.</summary>
    internal static string Read(string name)
    {
        using var stream = typeof(TemplateRenderer).Assembly.GetManifestResourceStream(Prefix + name + ".scriban")
            ?? throw new InvalidOperationException($"No embedded template {name}.scriban; the tool was built without it.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
