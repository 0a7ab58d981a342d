namespace Lightning.Generators;

/// <summary>The runtime's <c>HookRules</c>: how each hook may log and in which order the module and callbacks get it.</summary>
internal static class HookRulesEmitter
{
    public static string Emit(HookDeclarationFile file)
    {
        var writer = new SourceWriter([], "Lightning.Hooks");
        writer.Summary("The rules the declaration gives each hook, by the hook's name.");
        writer.Open("internal static class HookRules");
        writer.Summary("Whether Log may be called in the hook, and its default; a name that is no declared hook logs per epoch.");
        writer.Open("public static HookLog Logging(string? hook) => hook switch");
        foreach (var hook in file.Hooks.Where(h => h.Log != HookLog.PerEpoch))
            writer.Line($"HookNames.{hook.Name} => HookLog.{hook.Log},");
        writer.Line("_ => HookLog.PerEpoch,");
        writer.Close().Line(";").Line();
        writer.Summary("Where the module's call falls among the callbacks' calls.");
        writer.Open("public static HookOrder Order(string hook) => hook switch");
        foreach (var hook in file.Hooks.Where(h => h.Order != HookOrder.CallbacksFirst))
            writer.Line($"HookNames.{hook.Name} => HookOrder.{hook.Order},");
        writer.Line("_ => HookOrder.CallbacksFirst,");
        writer.Close().Line(";");
        writer.Close();
        return writer.ToString();
    }
}
