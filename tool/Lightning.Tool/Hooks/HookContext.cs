using Lightning.Tool.CodeEditing;

namespace Lightning.Tool.Hooks;

/// <summary>
/// What hook templates know about the place they are inserted: the module's batch type as that file can name
/// it, the prefixes that reach TorchSharp and Lightning names from there, and the module's loss.
/// </summary>
internal sealed class HookContext
{
    private readonly Dictionary<string, object?> _common;

    /// <summary>The context for inserting into <paramref name="part"/> of <paramref name="module"/>.</summary>
    public HookContext(ModuleClass module, ClassPart part, ImportScope globalScope)
    {
        var scope = ImportScope.At(part.Declaration, globalScope);
        var loss = LossFunction.Detect(module);
        _common = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["class_name"] = module.Name,
            ["batch"] = module.Batch.TextIn(part.Document.Path),
            ["pair"] = module.Batch.IsPair,
            ["loss"] = loss,
            ["classification"] = LossFunction.IsClassification(loss),
            ["lightning"] = scope.Prefix("Lightning"),
            ["torch"] = scope.Prefix("TorchSharp.torch"),
            ["nn"] = scope.Prefix("TorchSharp.torch.nn"),
            ["optim"] = scope.Prefix("TorchSharp.torch.optim"),
            ["lr_scheduler"] = scope.Prefix("TorchSharp.torch.optim.lr_scheduler"),
            ["generic"] = scope.Prefix("System.Collections.Generic"),
        };
    }

    /// <summary>The variables every template gets (batch type, name prefixes, loss).</summary>
    public IReadOnlyDictionary<string, object?> Variables => _common;

    /// <summary>Renders <paramref name="hook"/>'s template.</summary>
    public string RenderHook(HookDefinition hook, IReadOnlyList<string>? callbacks = null, string? optimizer = null, bool scheduler = false) =>
        Templates.TemplateRenderer.Render("Hooks." + hook.Template, With(new()
        {
            ["hook"] = hook.Name,
            ["comment"] = hook.Help,
            ["stage"] = hook.Stage ?? string.Empty,
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
