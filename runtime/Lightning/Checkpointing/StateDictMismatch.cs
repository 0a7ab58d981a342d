namespace Lightning;

/// <summary>A weight whose shape in the file differs from the module's.</summary>
/// <param name="Key">The state-dict key, as the module names it.</param>
/// <param name="ModuleShape">The shape the module has.</param>
/// <param name="FileShape">The shape the file holds.</param>
public sealed record StateDictMismatch(string Key, IReadOnlyList<long> ModuleShape, IReadOnlyList<long> FileShape)
{
    /// <inheritdoc />
    public override string ToString() => $"{Key} is [{string.Join(", ", ModuleShape)}] in the module but [{string.Join(", ", FileShape)}] in the file";
}
