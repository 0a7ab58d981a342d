namespace Lightning.Generators;

/// <summary>Who gets a hook; mirrors <c>Lightning.Hooks.HookTargets</c>, whose member names the declaration spells.</summary>
[Flags]
internal enum HookTargets
{
    None = 0,
    Module = 1,
    Callbacks = 2,
    DataModule = 4,
}
