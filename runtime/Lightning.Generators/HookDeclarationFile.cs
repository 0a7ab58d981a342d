namespace Lightning.Generators;

/// <summary>What <see cref="HookDeclarationParser"/> read from the declaration file: its usings, its hooks in order, and its mistakes.</summary>
internal sealed class HookDeclarationFile(IReadOnlyList<string> usings, IReadOnlyList<HookDeclaration> hooks, IReadOnlyList<string> errors)
{
    /// <summary>The file's using directives as written; generated files repeat them, so the declared types resolve the same way.</summary>
    public IReadOnlyList<string> Usings { get; } = usings;

    /// <summary>The hooks in declaration order, which is the order Lightning calls them.</summary>
    public IReadOnlyList<HookDeclaration> Hooks { get; } = hooks;

    /// <summary>What is wrong with the declaration, each naming the hook and the fix; nothing is generated while there are any.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
