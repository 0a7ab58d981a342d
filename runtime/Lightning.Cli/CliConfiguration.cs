using System.Text.RegularExpressions;
using Lightning.Text;

namespace Lightning.Cli;

/// <summary>
/// The resolved configuration of a run, built as LightningCLI builds it: defaults, then each <c>--config</c>
/// file in order, then the options given on the command line. <see cref="WriteYaml"/> prints it in the form
/// <c>--config</c> reads back.
/// </summary>
internal sealed partial class CliConfiguration
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        // Lightning's config files call the seed seed_everything.
        [CliNames.Normalize("seed_everything")] = CliNames.Normalize("seed"),
    };

    private readonly Dictionary<string, CliSetting> _byKey;
    private readonly Dictionary<CliSetting, object?> _values = [];
    private readonly Dictionary<CliSetting, CliLink> _linked = [];
    private readonly Dictionary<CliSetting, string> _notes = [];

    /// <param name="settings">Every setting, top-level ones first.</param>
    /// <param name="logs">Whether the run logs unless told otherwise (the trainer defaults' logger is on, or loggers are given in code).</param>
    public CliConfiguration(IReadOnlyList<CliSetting> settings, bool logs = true)
    {
        Loggers = new CliClassList(CliClassChoice.Logger, switchedOn: logs);
        Settings = settings;
        _byKey = settings.ToDictionary(s => s.Key, StringComparer.Ordinal);
        foreach (var setting in settings) _values[setting] = setting.Default;
    }

    /// <summary>Every setting, top-level ones first, then trainer, model and data.</summary>
    public IReadOnlyList<CliSetting> Settings { get; }

    /// <summary>The current value of each setting.</summary>
    public IReadOnlyDictionary<CliSetting, object?> Values => _values;

    /// <summary>The optimizer chosen with <c>--optimizer</c> or an <c>optimizer:</c> section, if any.</summary>
    public CliClassChoice Optimizer { get; } = CliClassChoice.Optimizer();

    /// <summary>The scheduler chosen with <c>--lr-scheduler</c> or an <c>lr_scheduler:</c> section, if any.</summary>
    public CliClassChoice LrScheduler { get; } = CliClassChoice.LrScheduler();

    /// <summary>The callbacks chosen with <c>--trainer.callbacks+=X</c> or a <c>callbacks:</c> list under <c>trainer:</c>.</summary>
    public CliClassList Callbacks { get; } = new(CliClassChoice.Callback);

    /// <summary>The loggers chosen with <c>--trainer.logger X</c> (or true, false) or <c>logger:</c> under <c>trainer:</c>.</summary>
    public CliClassList Loggers { get; }

    /// <summary>The objects chosen by class.</summary>
    public IReadOnlyList<CliClassChoice> Choices => [Optimizer, LrScheduler];

    /// <summary>The lists of objects chosen by class under <c>trainer:</c>.</summary>
    public IReadOnlyList<CliClassList> Lists => [Callbacks, Loggers];

    private HashSet<CliSetting> Given { get; } = [];

    /// <summary>The value of the setting named <paramref name="key"/> (a <see cref="CliSetting.Key"/>).</summary>
    public object? this[string key] => _values[_byKey[key]];

    /// <summary>Sets a value given by a config file or the command line.</summary>
    public void Set(CliSetting setting, object? value)
    {
        _values[setting] = value;
        Given.Add(setting);
    }

    /// <summary>
    /// Sets a value the run found for itself (<c>--tune</c>), in place of a configured or linked one, with a note that
    /// <see cref="WriteYaml"/> writes as a comment above it.
    /// </summary>
    public void Record(CliSetting setting, object? value, string note)
    {
        Set(setting, value);
        _linked.Remove(setting);
        _notes[setting] = note;
    }

    /// <summary>The settings a config file or the command line gave, as they would be typed: <c>--model.hidden-size 64</c>.</summary>
    public IReadOnlyList<string> GivenOptions() =>
        Settings.Where(Given.Contains).Select(s => $"{s.OptionName} {CliValue.Format(_values[s]) ?? "null"}").ToList();

    /// <summary>Sets the value of a link's target, unless a config file or the command line gave it.</summary>
    public void Link(CliLink link, object dataModule)
    {
        if (Given.Contains(link.Target)) return;
        _values[link.Target] = link.Read(dataModule);
        _linked[link.Target] = link;
    }

    /// <summary>Applies a config file over the current values.</summary>
    /// <exception cref="CliException">The file names an unknown setting or holds an invalid value.</exception>
    public void ApplyFile(string path)
    {
        var replaced = new HashSet<CliClassList>();
        foreach (var (section, name, text) in ConfigFile.Read(path))
        {
            if (ApplyChoice(section, name, text, path)) continue;
            if (ApplyListEntry(section, name, text, path, replaced)) continue;
            // "model:" with nothing under it (its settings all linked, so printed as comments) is an empty section.
            if (section.Length == 0 && text is null && Settings.Any(s => s.Section == name)) continue;
            var normalized = CliNames.Normalize(name);
            if (section.Length == 0 && Aliases.TryGetValue(normalized, out var alias)) normalized = alias;
            var key = section.Length == 0 ? normalized : $"{CliNames.Normalize(section)}.{normalized}";
            var shown = section.Length == 0 ? name : $"{section}.{name}";
            if (!_byKey.TryGetValue(key, out var setting))
                throw new CliException($"--config: '{path}' sets '{shown}', which is not a setting.{Suggest(section, name)}");
            Set(setting, setting.Parse(text, $"--config '{path}', {shown}"));
        }
    }

    // optimizer: AdamW, or optimizer: {class_path: AdamW, init_args: {lr: 0.001}}.
    private bool ApplyChoice(string section, string name, string? text, string path)
    {
        var choice = Choices.FirstOrDefault(c => CliNames.Normalize(c.Section) == CliNames.Normalize(section.Length == 0 ? name : section));
        if (choice is null) return false;
        if (section.Length == 0)
            choice.SetClass(text ?? "", $"--config '{path}', {choice.Section}");
        else if (CliNames.Normalize(name) == CliNames.Normalize("class_path"))
            choice.SetClass(text ?? "", $"--config '{path}', {choice.Section}.class_path");
        else if (name.StartsWith(ConfigFile.InitArgs + ".", StringComparison.Ordinal))
            choice.SetArgument(name[(ConfigFile.InitArgs.Length + 1)..], text);
        else
            throw new CliException($"--config: '{path}' sets '{section}.{name}'; {choice.Section} takes class_path and init_args.");
        return true;
    }

    // A file's list (trainer: callbacks:, logger:) replaces the one before it, as jsonargparse's lists do: "callbacks+"
    // starts an item (ConfigFile's form of "- class_path: X"), "callbacks.init_args.name" sets an argument of the last
    // one, and "logger: csv" or "logger: false" a value of its own.
    private bool ApplyListEntry(string section, string name, string? text, string path, HashSet<CliClassList> replaced)
    {
        if (CliNames.Normalize(section) != "trainer") return false;
        var list = Lists.FirstOrDefault(l => CliNames.Normalize(name.Split('.', '+')[0]) == CliNames.Normalize(l.Key));
        if (list is null) return false;
        var source = $"--config '{path}', trainer.{list.Key}";
        var arguments = $"{name.Split('.')[0]}.{ConfigFile.InitArgs}.";
        if (name.EndsWith('+'))
            list.Add(text, append: !replaced.Add(list), source);
        else if (name.StartsWith(arguments, StringComparison.Ordinal))
            list.SetArgument(name[arguments.Length..], text, source);
        else if (!name.Contains('.', StringComparison.Ordinal))
            list.Add(text, append: false, source);
        else
            throw new CliException($"--config: '{path}' sets 'trainer.{name}'; {list.Key} takes a list of class_path and init_args.");
        return true;
    }

    /// <summary>Checks the objects chosen by class: known classes and arguments, and a scheduler only with an optimizer.</summary>
    /// <exception cref="CliException">One cannot be built.</exception>
    public void CheckChoices()
    {
        foreach (var choice in Choices.Concat(Lists.SelectMany(l => l.Items))) choice.Check();
        if (LrScheduler.ClassPath is null) return;
        if (Optimizer.ClassPath is null)
            throw new CliException($"--lr-scheduler {LrScheduler.ClassPath} drives the optimizer the CLI builds: give --optimizer too (for example --optimizer SGD --optimizer.lr 0.1).");
        if (CliNames.Normalize(LrScheduler.ClassPath).EndsWith("reducelronplateau", StringComparison.Ordinal) && LrScheduler.Extra("monitor") is null)
            throw new CliException($"--lr-scheduler {LrScheduler.ClassPath} needs the metric it watches: --lr-scheduler.monitor val_loss (a metric the module logs).");
    }

    /// <summary>Checks every required setting was given, or will be set by one of <paramref name="links"/>.</summary>
    /// <exception cref="CliException">One is missing.</exception>
    public void CheckRequired(IReadOnlyList<CliLink> links)
    {
        var missing = Settings.Where(s => s.Required && !Given.Contains(s) && links.All(l => l.Target != s)).Select(s => s.OptionName).ToList();
        if (missing.Count > 0)
            throw new CliException($"{string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} required: give {(missing.Count == 1 ? "it" : "them")} on the command line or in a --config file.");
    }

    /// <summary>Writes the configuration as YAML that <c>--config</c> reads back.</summary>
    public void WriteYaml(TextWriter output, string command)
    {
        output.WriteLine($"# The resolved configuration of '{command}'; run it again with --config <this file>.");
        foreach (var setting in Settings.Where(s => s.Section.Length == 0))
        {
            WriteNote(output, setting, "");
            output.WriteLine($"{setting.Name}: {Scalar(CliValue.Format(_values[setting]))}");
        }
        foreach (var section in Settings.Where(s => s.Section.Length > 0).Select(s => s.Section).Distinct())
        {
            output.WriteLine($"{section}:");
            foreach (var setting in Settings.Where(s => s.Section == section))
            {
                // A linked value is shown as a comment, so that the file read back links it again from its data.
                var line = $"{setting.Name}: {Scalar(CliValue.Format(_values[setting]))}";
                WriteNote(output, setting, "  ");
                output.WriteLine(_linked.TryGetValue(setting, out var link)
                    ? $"  # {line}  (linked: the data module's {link.Source.Name}; set it to override)"
                    : $"  {line}");
            }
            if (section != "trainer") continue;
            foreach (var list in Lists) list.WriteYaml(output, Scalar);
        }
        foreach (var empty in new[] { "model", "data" }.Where(s => Settings.All(x => x.Section != s)))
            output.WriteLine($"{empty}: {{}}");
        foreach (var choice in Choices) choice.WriteYaml(output, Scalar);
    }

    private void WriteNote(TextWriter output, CliSetting setting, string indent)
    {
        if (_notes.TryGetValue(setting, out var note)) output.WriteLine($"{indent}# {note}");
    }

    private static string Scalar(string? text) =>
        text is null ? "null"
        : PlainScalar().IsMatch(text) && !CliValue.IsNull(text) ? text
        : "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private string Suggest(string section, string name)
    {
        var candidates = Settings.Where(s => CliNames.Normalize(s.Section) == CliNames.Normalize(section)).ToList();
        var best = candidates.MinBy(s => Spelling.Distance(CliNames.Normalize(s.Name), CliNames.Normalize(name)));
        return best is null
            ? $" Top-level keys are: {string.Join(", ", Settings.Select(s => s.Section.Length == 0 ? s.Name : s.Section).Distinct())}."
            : $" Did you mean '{(section.Length == 0 ? "" : section + ".")}{best.Name}'?";
    }

    // Text YAML reads back as the same string without quotes: no leading indicator, no ": " or " #".
    [GeneratedRegex(@"^[A-Za-z0-9_./+-][A-Za-z0-9_./:+,-]*$")]
    private static partial Regex PlainScalar();
}
