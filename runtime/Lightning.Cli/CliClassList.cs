namespace Lightning.Cli;

/// <summary>
/// A list of objects chosen by class under <c>trainer:</c> (the callbacks, the loggers), as jsonargparse reads lists:
/// <c>--trainer.callbacks+=X</c> adds X, <c>--trainer.callbacks X</c> starts the list again with X, and
/// <c>--trainer.callbacks.name value</c> sets an argument of the last one; in a config file, a list of
/// <c>class_path</c>/<c>init_args</c> items, one such mapping, or a class name replaces the list.
/// A switchable list (the loggers) also takes <c>true</c> and <c>false</c>, which empty it and say whether the run logs.
/// </summary>
internal sealed class CliClassList
{
    private readonly Func<CliClassChoice> _newItem;
    private readonly bool _switchable;

    /// <param name="newItem">Makes an item without a class (<see cref="CliClassChoice.Callback"/>).</param>
    /// <param name="switchedOn">For a switchable list, whether it is on before anything is given; null for a list without a switch.</param>
    public CliClassList(Func<CliClassChoice> newItem, bool? switchedOn = null)
    {
        _newItem = newItem;
        _switchable = switchedOn is not null;
        SwitchedOn = switchedOn ?? true;
        Prototype = newItem();
    }

    /// <summary>An item without a class, for the list's section, option name and help.</summary>
    public CliClassChoice Prototype { get; }

    /// <summary>The items, in order.</summary>
    public List<CliClassChoice> Items { get; } = [];

    /// <summary>For a switchable list without items: whether the run has the default (true) or none (false).</summary>
    public bool SwitchedOn { get; private set; }

    /// <summary>The key under <c>trainer:</c> in config files: <c>callbacks</c>, <c>logger</c>.</summary>
    public string Key => Prototype.Section.Split('.')[^1];

    /// <summary>
    /// Adds the class <paramref name="value"/> (or, for a switchable list, sets <c>true</c>/<c>false</c>); unless appending, the
    /// list starts again, and stays empty when <paramref name="value"/> is empty or null.
    /// </summary>
    /// <exception cref="CliException">The class is not known.</exception>
    public void Add(string? value, bool append, string source)
    {
        if (!append || (_switchable && CliValue.AsBool(value) is not null)) Items.Clear();
        if (_switchable && CliValue.AsBool(value) is { } on)
        {
            SwitchedOn = on;
            return;
        }
        // An empty list (callbacks: []) or null leaves the list empty.
        if (string.IsNullOrEmpty(value)) return;
        var item = _newItem();
        item.SetClass(value ?? "", source);
        Items.Add(item);
    }

    /// <summary>Sets an argument of the last item.</summary>
    /// <exception cref="CliException">There is no item yet.</exception>
    public void SetArgument(string name, string? value, string source)
    {
        if (Items.Count == 0)
            throw new CliException($"{source}.{name}: give the {Prototype.Kind} first, for example {Prototype.OptionName}{(_switchable ? " " : "+=")}{Prototype.ExampleClass}.");
        Items[^1].SetArgument(name, value);
    }

    /// <summary>Applies what <see cref="CliClassArguments.Extract"/> took from the command line for this list.</summary>
    /// <exception cref="CliException">An argument comes before any item, or a class is unknown.</exception>
    public void Apply(IEnumerable<(string Name, string? Value, bool Append)> given)
    {
        foreach (var (name, value, append) in given)
        {
            if (name.Length > 0) SetArgument(name, value, Prototype.OptionName);
            else Add(value, append, Prototype.OptionName);
        }
    }

    /// <summary>Writes the list under <c>trainer:</c> as <c>--config</c> reads it back; a switchable list without items as <c>true</c>/<c>false</c>.</summary>
    public void WriteYaml(TextWriter output, Func<string?, string> scalar)
    {
        if (Items.Count == 0)
        {
            if (_switchable) output.WriteLine($"  {Key}: {(SwitchedOn ? "true" : "false")}");
            return;
        }
        output.WriteLine($"  {Key}:");
        foreach (var item in Items) item.WriteYamlItem(output, scalar, "  ");
    }
}
