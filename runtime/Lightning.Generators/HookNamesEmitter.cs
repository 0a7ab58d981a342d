namespace Lightning.Generators;

/// <summary>The runtime's <c>HookNames</c>: a constant per hook, the value the trainer's current hook holds while it runs.</summary>
internal static class HookNamesEmitter
{
    public static string Emit(HookDeclarationFile file)
    {
        var writer = new SourceWriter([], "Lightning.Hooks");
        writer.Summary("The name of every declared hook: what the trainer's current hook holds while it runs, and what Log and the profiler see.");
        writer.Open("internal static class HookNames");
        foreach (var hook in file.Hooks)
        {
            writer.Summary(hook.Help);
            writer.Line($"public const string {hook.Name} = \"{hook.Name}\";");
            writer.Line();
        }
        writer.Summary("Every declared hook's name, in the order Lightning calls them.");
        writer.Line($"public static global::System.Collections.Generic.IReadOnlyList<string> All {{ get; }} = [{string.Join(", ", file.Hooks.Select(h => h.Name))}];");
        writer.Close();
        return writer.ToString();
    }
}
