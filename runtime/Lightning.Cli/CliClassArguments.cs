namespace Lightning.Cli;

/// <summary>
/// Takes the options of the classes chosen by name (<c>--optimizer AdamW --optimizer.lr 1e-3</c>,
/// <c>--trainer.callbacks+=EarlyStopping --trainer.callbacks.monitor val_loss</c>) out of the command line before it is
/// parsed: their names depend on the class, so the parser cannot know them in advance.
/// </summary>
internal static class CliClassArguments
{
    /// <summary>
    /// Splits <paramref name="args"/> into the others and, for each of <paramref name="sections"/>' options (kebab or snake
    /// case, <c>--x value</c> or <c>--x=value</c>), the given (name, value, append) triples in order: an empty name for
    /// the class, append for jsonargparse's <c>--x+=value</c>, which adds to a list.
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <param name="sections">The sections chosen by class (<c>optimizer</c>, <c>trainer.callbacks</c>).</param>
    /// <param name="flags">Those of <paramref name="sections"/> whose option alone means <c>true</c> (<c>--trainer.logger</c>).</param>
    /// <exception cref="CliException">An option at the end has no value.</exception>
    public static (string[] Others, Dictionary<string, List<(string Name, string? Value, bool Append)>> Given) Extract(
        IReadOnlyList<string> args, IEnumerable<string> sections, IReadOnlySet<string> flags)
    {
        var prefixes = sections.Distinct().ToDictionary(s => s, s => "--" + CliNames.Kebab(s));
        var given = prefixes.Keys.ToDictionary(s => s, _ => new List<(string, string?, bool)>());
        var others = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var raw = equals < 0 ? arg : arg[..equals];
            var option = raw.Replace('_', '-');
            (string? section, string? rest) = prefixes.Select(p => (Section: p.Key, Tail: option.StartsWith(p.Value, StringComparison.Ordinal) ? option[p.Value.Length..] : null))
                .FirstOrDefault(p => p.Tail is "" or "+" || p.Tail?.StartsWith('.') == true);
            if (section is null)
            {
                others.Add(arg);
                continue;
            }
            string? value;
            if (equals >= 0) value = arg[(equals + 1)..];
            else if (rest == "" && flags.Contains(section) && (i + 1 == args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))) value = "true";
            else if (i + 1 < args.Count) value = args[++i];
            else throw new CliException($"{arg} needs a value.");
            // The argument's name as typed: the part of the option after the section and its dot.
            var name = rest!.StartsWith('.') ? raw[(raw.Length - rest.Length + 1)..] : "";
            given[section].Add((name, value, rest == "+"));
        }
        return ([.. others], given);
    }
}
