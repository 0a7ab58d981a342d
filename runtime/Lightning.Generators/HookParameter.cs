namespace Lightning.Generators;

/// <summary>One parameter of a hook as the declaration writes it.</summary>
internal sealed class HookParameter(string type, string name, string? defaultValue)
{
    /// <summary>The type as written, e.g. <c>TBatch</c> or <c>StepOutput?</c>.</summary>
    public string Type { get; } = type;

    public string Name { get; } = name;

    /// <summary>The default value's text, e.g. <c>null</c>, or null when there is none.</summary>
    public string? DefaultValue { get; } = defaultValue;

    /// <summary>The type a callback sees: <c>object</c> for the batch, since callbacks work with any module.</summary>
    public string CallbackType => Type == HookDeclaration.BatchType ? "object" : Type;

    /// <summary>The parameter as a declaration writes it: <c>Type name</c>, with its default.</summary>
    public string Declaration => DefaultValue is null ? $"{Type} {Name}" : $"{Type} {Name} = {DefaultValue}";
}
