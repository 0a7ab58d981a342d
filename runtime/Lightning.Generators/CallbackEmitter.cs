namespace Lightning.Generators;

/// <summary>The hook virtuals of the runtime's <c>Callback</c>, each doing nothing; the class's other members are written by hand.</summary>
internal static class CallbackEmitter
{
    public static string Emit(HookDeclarationFile file)
    {
        var writer = new SourceWriter(file.Usings, "Lightning");
        writer.Open("public abstract partial class Callback");
        foreach (var hook in file.Hooks.Where(h => h.ForCallbacks))
        {
            writer.Summary(hook.Help);
            writer.Line($"public virtual void {hook.Name}({hook.CallbackParameterList}) {{ }}");
            writer.Line();
        }
        writer.Close();
        return writer.ToString();
    }
}
