namespace Lightning.Cli;

/// <summary>
/// One value the CLI can set: a trainer option, a constructor parameter of the module or data module, or a
/// top-level setting (<c>seed</c>, <c>ckpt-path</c>). It appears as <c>--section.name</c> and as
/// <c>name</c> under <c>section</c> in config files.
/// </summary>
/// <param name="Section">"trainer", "model", "data", or "" for top-level settings.</param>
/// <param name="Name">The kebab-case name.</param>
/// <param name="Type">The value's type.</param>
/// <param name="AllowsNull">Whether null is a valid value.</param>
/// <param name="Default">The value when neither a config file nor the command line gives one.</param>
/// <param name="Help">What the setting does, for <c>--help</c>.</param>
/// <param name="Required">Whether a config file or the command line must give it (a constructor parameter without default).</param>
/// <param name="CodeName">The name in code (the <see cref="TrainerOptions"/> property or the constructor parameter), which messages use.</param>
internal sealed record CliSetting(string Section, string Name, Type Type, bool AllowsNull, object? Default, string Help, bool Required = false, string? CodeName = null)
{
    /// <summary>The name in code, which exception messages use: <c>MaxEpochs</c>, <c>hiddenSize</c>.</summary>
    public string PropertyName => CodeName ?? Name;

    /// <summary>The option as typed on the command line, for example <c>--trainer.max-epochs</c>.</summary>
    public string OptionName => Section.Length == 0 ? "--" + Name : $"--{Section}.{Name}";

    /// <summary>The key config files are matched on (section and normalized name).</summary>
    public string Key => Section.Length == 0 ? CliNames.Normalize(Name) : $"{Section}.{CliNames.Normalize(Name)}";

    /// <summary>Whether the option may be given with no value, meaning <see langword="true"/> (<c>--trainer.fast-dev-run</c>).</summary>
    public bool IsFlag => (Nullable.GetUnderlyingType(Type) ?? Type) is var t && (t == typeof(bool) || t == typeof(FastDevRun));

    /// <summary>Parses a value given as text, naming the option in the error.</summary>
    /// <exception cref="CliException">The text is not a valid value.</exception>
    public object? Parse(string? text, string source)
    {
        try
        {
            return CliValue.Parse(text, Type, AllowsNull);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new CliException($"{source}: {e.Message} Expected {CliValue.Describe(Type)}.");
        }
    }

    /// <summary>The help line: what it does, what it takes and its default.</summary>
    public string Describe() =>
        $"{Help} [{CliValue.Describe(Type)}; {(Required ? "required" : "default: " + (CliValue.Format(Default) ?? "null"))}]";
}
