using Lightning.Tool.CodeEditing;

namespace Lightning.Tool.Hooks;

/// <summary>
/// What hook templates know about the place they are inserted: the module's batch type as that file can name
/// it, the prefixes that reach TorchSharp and Lightning names from there, and the module's loss.
/// </summary>
internal sealed class HookContext
{
    private readonly Dictionary<string, object?> _common;
    private readonly ImportScope _scope;

    /// <summary>The context for inserting into <paramref name="part"/> of <paramref name="module"/>.</summary>
    public HookContext(ModuleClass module, ClassPart part, ImportScope globalScope)
    {
        var scope = ImportScope.At(part.Declaration, globalScope);
        _scope = scope;
        var loss = LossFunction.Detect(module);
        _common = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["class_name"] = module.Name,
            ["batch"] = module.Batch.TextIn(part.Document.Path),
            ["todo"] = Todo(module),
            ["loss"] = loss,
            ["classification"] = LossFunction.IsClassification(loss),
            ["lightning"] = scope.Prefix("Lightning"),
            ["torch"] = scope.Prefix("TorchSharp.torch"),
            ["nn"] = scope.Prefix("TorchSharp.torch.nn"),
            ["optim"] = scope.Prefix("TorchSharp.torch.optim"),
            ["lr_scheduler"] = scope.Prefix("TorchSharp.torch.optim.lr_scheduler"),
            ["generic"] = scope.Prefix("System.Collections.Generic"),
            ["system"] = scope.Prefix("System"),
        };
    }

    /// <summary>
    /// Why the steps that run the model (training, validation, test, predict) cannot be written out, or <c>""</c>
    /// when they can: they take the batch apart into inputs and labels and call <c>forward</c>. Where they cannot,
    /// the templates write a compiling stub with this reason as its <c>TODO</c>.
    /// </summary>
    public static string Todo(ModuleClass module) =>
        !module.Batch.SplitsInTwo
            ? $"{module.Batch.Resolved} does not split into inputs and labels (it is no pair and has no Deconstruct into two), so the tool cannot tell what to compute."
        : !module.DeclaresMethod("forward")
            ? $"{module.Name} has no forward method, so the tool does not know how it computes its outputs."
        : string.Empty;

    /// <summary>The variables every template gets (batch type, name prefixes, loss).</summary>
    public IReadOnlyDictionary<string, object?> Variables => _common;

    /// <summary>
    /// Renders <paramref name="hook"/>: the override's first line from the hook's declared signature, then its body's
    /// template.
    /// </summary>
    public string RenderHook(HookDefinition hook, IReadOnlyList<string>? callbacks = null, string? optimizer = null, bool scheduler = false) =>
        HookSignature.Override(hook.Method, (string)_common["batch"]!, _scope.Prefix) + "\n" +
        Templates.TemplateRenderer.Render("Hooks." + hook.Body.Template, With(new()
        {
            ["hook"] = hook.Name,
            ["comment"] = hook.Help,
            ["stage"] = hook.Body.Stage ?? string.Empty,
            ["arguments"] = HookSignature.Arguments(hook.Method),
            ["returns"] = HookSignature.Returns(hook.Method),
            ["callbacks"] = callbacks ?? [],
            ["optimizer"] = optimizer ?? $"{_common["optim"]}Adam(parameters(), lr: 1e-3)",
            ["scheduler"] = scheduler,
        }));

    /// <summary>Renders the expression creating callback <paramref name="name"/> (e.g. <c>EarlyStopping</c>).</summary>
    public string RenderCallback(string name) => Templates.TemplateRenderer.Render("Callbacks." + name, _common).Trim();

    private Dictionary<string, object?> With(Dictionary<string, object?> extra)
    {
        foreach (var (key, value) in _common) extra[key] = value;
        return extra;
    }
}
