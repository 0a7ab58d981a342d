using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lightning.Cli;

/// <summary>
/// Reads a <c>--config</c> file (YAML, or JSON by its <c>.json</c> extension) into (key, text) pairs: top-level
/// settings such as <c>seed</c>, and <c>trainer</c>, <c>model</c> and <c>data</c> sections of settings, <c>optimizer</c> and
/// <c>lr_scheduler</c> sections of <c>class_path</c> and <c>init_args</c>, and lists of those (<c>trainer: callbacks:</c>).
/// Values stay text so that one parser serves the command line and config files.
/// </summary>
internal static class ConfigFile
{
    /// <summary>The key of a class's constructor arguments, whose entries are named <c>init_args.name</c>.</summary>
    public const string InitArgs = "init_args";

    /// <summary>The entries of the file, as ("section.name" or "name", value text, where) triples.</summary>
    /// <exception cref="CliException">The file is missing or not a mapping of the expected shape.</exception>
    public static IReadOnlyList<(string Section, string Name, string? Value)> Read(string path)
    {
        if (!File.Exists(path)) throw new CliException($"--config: the file '{path}' does not exist.");
        var text = File.ReadAllText(path);
        try
        {
            return Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase) ? ReadJson(text, path) : ReadYaml(text, path);
        }
        catch (Exception e) when (e is JsonException or YamlException)
        {
            throw new CliException($"--config: '{path}' is not valid {(e is JsonException ? "JSON" : "YAML")}: {e.Message}");
        }
    }

    private static List<(string, string, string?)> ReadYaml(string text, string path)
    {
        RefuseAliases(text, path);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? [] : Entries(stream.Documents[0].RootNode, path);
    }

    // One walk serves YAML and JSON (read into the same nodes), so both take the same shapes.
    private static List<(string, string, string?)> Entries(YamlNode document, string path)
    {
        var entries = new List<(string, string, string?)>();
        if (document is not YamlMappingNode root)
            throw new CliException($"--config: '{path}' must be a mapping of settings (trainer:, model:, data:, seed:, ckpt-path:).");
        foreach (var (key, value) in root.Children)
        {
            var name = KeyName(key, path);
            if (value is YamlMappingNode section)
                foreach (var (innerKey, innerValue) in section.Children)
                {
                    // A class's constructor arguments (class_path/init_args) are one level deeper: init_args.lr.
                    if (innerValue is YamlMappingNode initArgs && KeyName(innerKey, path) == InitArgs)
                        foreach (var (argKey, argValue) in initArgs.Children)
                            entries.Add((name, $"{InitArgs}.{KeyName(argKey, path)}", YamlText(argValue, path)));
                    else if (innerValue is YamlSequenceNode list && list.Children.Any(c => c is YamlMappingNode))
                        entries.AddRange(YamlClassList(name, KeyName(innerKey, path), list, path));
                    // One class where a list may stand (trainer: logger: {class_path: CsvLogger}) is a list of one.
                    else if (innerValue is YamlMappingNode one && one.Children.Keys.Any(k => k is YamlScalarNode { Value: "class_path" }))
                        entries.AddRange(YamlClassList(name, KeyName(innerKey, path), new YamlSequenceNode(one), path));
                    else
                        entries.Add((name, KeyName(innerKey, path), YamlText(innerValue, path)));
                }
            else
                entries.Add(("", name, YamlText(value, path)));
        }
        return entries;
    }

    // A list of classes (trainer: callbacks: [- class_path: X, init_args: {...}]) becomes "callbacks+" = X for each
    // item, then "callbacks.init_args.name" = value for its arguments.
    private static IEnumerable<(string, string, string?)> YamlClassList(string section, string key, YamlSequenceNode list, string path)
    {
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode mapping)
            {
                yield return (section, key + "+", YamlText(item, path));
                continue;
            }
            var classPath = mapping.Children.FirstOrDefault(c => KeyName(c.Key, path) == "class_path").Value
                ?? throw new CliException($"--config: '{path}' has an item of {section}.{key} at {item.Start} without class_path.");
            yield return (section, key + "+", YamlText(classPath, path));
            if (mapping.Children.FirstOrDefault(c => KeyName(c.Key, path) == InitArgs).Value is YamlMappingNode args)
                foreach (var (argKey, argValue) in args.Children)
                    yield return (section, $"{key}.{InitArgs}.{KeyName(argKey, path)}", YamlText(argValue, path));
        }
    }

    // An alias repeats what its anchor holds, so a few lines of aliases of aliases expand to gigabytes (and one
    // inside its own anchor never ends). Settings are single values or short lists: config files take none.
    private static void RefuseAliases(string text, string path)
    {
        var parser = new Parser(new StringReader(text));
        while (parser.MoveNext())
        {
            if (parser.Current is YamlDotNet.Core.Events.AnchorAlias alias)
                throw new CliException(
                    $"--config: '{path}' uses the YAML alias *{alias.Value} at line {alias.Start.Line}; config files take no aliases (a few nested ones " +
                    "expand without bound). Write the value out.");
        }
    }

    private static string KeyName(YamlNode key, string path) => key is YamlScalarNode { Value: { } name }
        ? name
        : throw new CliException($"--config: '{path}' has a key at line {key.Start.Line} that is not a name; keys are setting names such as max_epochs.");

    private static string? YamlText(YamlNode node, string path) => node switch
    {
        YamlScalarNode { Style: ScalarStyle.Plain } s when CliValue.IsNull(s.Value) || s.Value == "" => null,
        YamlScalarNode s => s.Value,
        YamlSequenceNode list => string.Join(",", list.Children.Select(c => YamlText(c, path))),
        _ => throw new CliException($"--config: '{path}' has a nested mapping at {node.Start}; settings take single values or lists."),
    };

    private static List<(string, string, string?)> ReadJson(string text, string path)
    {
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return Entries(Node(document.RootElement), path);
    }

    // JSON strings stay strings ("null" quoted is text, as in YAML); numbers, booleans and null are plain scalars.
    private static YamlNode Node(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => new YamlMappingNode(value.EnumerateObject().Select(p =>
            new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Name), Node(p.Value)))),
        JsonValueKind.Array => new YamlSequenceNode(value.EnumerateArray().Select(Node)),
        JsonValueKind.String => new YamlScalarNode(value.GetString()) { Style = ScalarStyle.DoubleQuoted },
        JsonValueKind.Null => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
        _ => new YamlScalarNode(value.GetRawText()) { Style = ScalarStyle.Plain },
    };
}
