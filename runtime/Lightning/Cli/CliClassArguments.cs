namespace Lightning.Cli;

/// <summary>
/// Takes the options of the classes chosen by name (<c>--optimizer AdamW --optimizer.lr 1e-3</c>) out of the command
/// line before it is parsed: their names depend on the class, so the parser cannot know them in advance.
/// </summary>
internal static class CliClassArguments
{
    /// <summary>
    /// Splits <paramref name="args"/> into the others and, for each of <paramref name="sections"/>' options (kebab or snake
    /// case, <c>--x value</c> or <c>--x=value</c>), the (name, value) pairs in order, an empty name for the class.
    /// </summary>
    /// <exception cref="CliException">An option at the end has no value.</exception>
    public static (string[] Others, Dictionary<string, List<(string Name, string? Value)>> Given) Extract(IReadOnlyList<string> args, IEnumerable<string> sections)
    {
        var prefixes = sections.ToDictionary(s => s, s => "--" + CliNames.Kebab(s));
        var given = prefixes.Keys.ToDictionary(s => s, _ => new List<(string, string?)>());
        var others = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var option = equals < 0 ? arg : arg[..equals];
            var dot = option.IndexOf('.', StringComparison.Ordinal);
            var head = (dot < 0 ? option : option[..dot]).Replace('_', '-');
            var section = prefixes.FirstOrDefault(p => p.Value == head).Key;
            if (section is null)
            {
                others.Add(arg);
                continue;
            }
            string? value;
            if (equals >= 0) value = arg[(equals + 1)..];
            else if (i + 1 < args.Count) value = args[++i];
            else throw new CliException($"{arg} needs a value.");
            given[section].Add((dot < 0 ? "" : option[(dot + 1)..], value));
        }
        return ([.. others], given);
    }
}
