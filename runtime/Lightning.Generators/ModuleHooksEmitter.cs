namespace Lightning.Generators;

/// <summary>
/// The module's and data module's generated defaults (empty, or null for a nullable return) and the interfaces
/// listing what each must have, so the compiler rejects a declared hook whose hand-written default is missing or
/// has another signature.
/// </summary>
internal static class ModuleHooksEmitter
{
    public const string ModuleInterface = "IModuleHooks";
    public const string DataModuleInterface = "IDataModuleHooks";

    /// <summary>The hint names and sources of every file this emitter writes.</summary>
    public static IEnumerable<(string HintName, string Source)> Emit(HookDeclarationFile file)
    {
        var module = file.Hooks.Where(h => h.ForModule).ToList();
        var data = file.Hooks.Where(h => h.ForDataModule).ToList();
        yield return ($"{ModuleInterface}.g.cs", Interface(file, ModuleInterface, "LightningModule{TBatch}", module));
        yield return ($"{DataModuleInterface}.g.cs", Interface(file, DataModuleInterface, "LightningDataModule{TBatch}", data));
        yield return ("LightningModule.g.cs", Defaults(file, "LightningModule", null, module.Where(h => !h.UsesBatch)));
        yield return ("LightningModule{TBatch}.g.cs", Defaults(file, "LightningModule<TBatch>", ModuleInterface, module.Where(h => h.UsesBatch)));
        yield return ("LightningDataModule.g.cs", Defaults(file, "LightningDataModule", null, data.Where(h => !h.UsesBatch)));
        yield return ("LightningDataModule{TBatch}.g.cs", Defaults(file, "LightningDataModule<TBatch>", DataModuleInterface, data.Where(h => h.UsesBatch)));
    }

    private static string Interface(HookDeclarationFile file, string name, string implementer, IEnumerable<HookDeclaration> hooks)
    {
        var writer = new SourceWriter(file.Usings, "Lightning.Hooks");
        writer.Line($"/// <summary>The declared hooks <see cref=\"{implementer}\"/> implements, generated or by hand.</summary>");
        writer.Open($"internal interface {name}<TBatch>");
        foreach (var hook in hooks)
            writer.Line($"{hook.ReturnType} {hook.Name}({hook.ParameterList});");
        writer.Close();
        return writer.ToString();
    }

    private static string Defaults(HookDeclarationFile file, string type, string? implements, IEnumerable<HookDeclaration> hooks)
    {
        var writer = new SourceWriter(file.Usings, "Lightning");
        writer.Open($"public abstract partial class {type}{(implements is null ? "" : $" : global::Lightning.Hooks.{implements}<TBatch>")}");
        foreach (var hook in hooks.Where(h => !h.HandWrittenDefault))
        {
            writer.Summary(hook.Help);
            var body = hook.IsVoid ? " { }" : " => null;";
            writer.Line($"public virtual {hook.ReturnType} {hook.Name}({hook.ParameterList}){body}");
            writer.Line();
        }
        writer.Close();
        return writer.ToString();
    }
}
