namespace Lightning.Generators;

/// <summary>The runtime's <c>LambdaCallback</c>: a function for each callback hook, passed to its constructor.</summary>
internal static class LambdaCallbackEmitter
{
    public static string Emit(HookDeclarationFile file)
    {
        var hooks = file.Hooks.Where(h => h.ForCallbacks).ToList();
        var writer = new SourceWriter(file.Usings, "Lightning");
        writer.Line("/// <summary>");
        writer.Line("/// A callback made of functions (Lightning's <c>LambdaCallback</c>): pass a function for each hook you need,");
        writer.Line("/// for example <c>new LambdaCallback(onTrainEpochEnd: (trainer, module) =&gt; Console.WriteLine(trainer.CurrentEpoch))</c>.");
        writer.Line("/// </summary>");
        writer.Open("public sealed class LambdaCallback : Callback");
        foreach (var hook in hooks)
            writer.Line($"private readonly Action<{hook.CallbackTypeArguments}>? _{hook.CamelName};");
        writer.Line();
        writer.Summary("Creates the callback from functions for the hooks given; the others do nothing.");
        foreach (var hook in hooks)
            writer.Line($"/// <param name=\"{hook.CamelName}\">Called as <see cref=\"Callback.{hook.Name}\"/>.</param>");
        writer.Line("public LambdaCallback(");
        for (var i = 0; i < hooks.Count; i++)
            writer.Line($"    Action<{hooks[i].CallbackTypeArguments}>? {hooks[i].CamelName} = null{(i == hooks.Count - 1 ? ")" : ",")}");
        writer.Open();
        foreach (var hook in hooks)
            writer.Line($"_{hook.CamelName} = {hook.CamelName};");
        writer.Close();
        foreach (var hook in hooks)
        {
            writer.Line();
            writer.Line("/// <inheritdoc/>");
            var arguments = string.Join(", ", new[] { "trainer", "module" }.Concat(hook.Parameters.Select(p => p.Name)));
            writer.Line($"public override void {hook.Name}({hook.CallbackParameterList}) => _{hook.CamelName}?.Invoke({arguments});");
        }
        writer.Close();
        return writer.ToString();
    }
}
