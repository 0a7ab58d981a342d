using Lightning.Tool.CodeEditing;
using Lightning.Tool.Projects;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lightning.Tool.Hooks;

/// <summary>
/// Turns <c>add-hook</c>'s names into an <see cref="EditPlan"/> for one module: new members appended to the
/// class, callbacks added to <c>ConfigureCallbacks</c>, a scheduler added to <c>ConfigureOptimizers</c>.
/// Hooks the module has already are left alone and reported.
/// </summary>
internal sealed class HookPlanner(ModuleClass module, CSharpProject project)
{
    private readonly ImportScope _globalScope = project.GlobalScope;

    /// <summary>Resolves the names (hooks or groups, any spelling) or fails with the nearest known names.</summary>
    public static (List<HookDefinition> Hooks, List<string> Callbacks, bool Scheduler) Resolve(IReadOnlyList<string> names)
    {
        if (names.Count == 0) throw ToolException.Usage("Name at least one hook or group, e.g. `dotnet lightning add-hook validation`; `dotnet lightning list` shows them all.");
        var hooks = new List<HookDefinition>();
        var callbacks = new List<string>();
        var scheduler = false;
        var unknown = new List<string>();
        foreach (var name in names)
        {
            if (HookCatalog.FindGroup(name) is { } group)
            {
                hooks.AddRange(group.Hooks.Select(h => HookCatalog.FindHook(h)!));
                callbacks.AddRange(group.Callbacks);
                scheduler |= group.AddsScheduler;
            }
            else if (HookCatalog.FindHook(name) is { } hook) hooks.Add(hook);
            else unknown.Add(name);
        }
        if (unknown.Count > 0)
            throw ToolException.Usage(string.Join(Environment.NewLine, unknown.Select(u =>
                $"Unknown hook or group '{u}'." + (NameSuggester.Nearest(u, HookCatalog.AllNames) is { Count: > 0 } near ? $" Did you mean {string.Join(", ", near)}?" : string.Empty)))
                + Environment.NewLine + "Run `dotnet lightning list` to see every hook and group.");
        return ([.. hooks.Distinct()], [.. callbacks.Distinct()], scheduler);
    }

    /// <summary>Plans the changes for <paramref name="names"/>.</summary>
    public EditPlan Plan(IReadOnlyList<string> names)
    {
        var (hooks, callbacks, scheduler) = Resolve(names);
        var plan = new EditPlan();
        var part = module.InsertionPart;
        var context = new HookContext(module, part, _globalScope);
        var members = new List<string>();
        var added = new List<string>();

        foreach (var hook in hooks)
        {
            if ((hook.Name == "ConfigureCallbacks" && callbacks.Count > 0) || (hook.Name == "ConfigureOptimizers" && scheduler)) continue;
            if (module.Overrides.Contains(hook.Name))
            {
                plan.Unchanged.Add($"{hook.Name} exists already in {module.Name}.");
                continue;
            }
            var member = context.RenderHook(hook);
            members.Add(member);
            added.Add(hook.Name);
            if (member.Contains("// TODO:", StringComparison.Ordinal))
                plan.Notes.Add($"{hook.Name} in {Path.GetFileName(part.Document.Path)} is a stub marked TODO: {HookContext.Todo(module)} Write its body before relying on it.");
        }
        if (callbacks.Count > 0) PlanCallbacks(plan, context, callbacks, members, added, hooks);
        if (scheduler) PlanScheduler(plan, context, members, added);

        if (members.Count > 0) plan.Change(part.Document.File, MemberInserter.Append(part, members));
        if (added.Count > 0) plan.Done.Insert(0, $"Added {Join(added)} to {module.Name} in {Path.GetFileName(part.Document.Path)}.");
        foreach (var loader in added.Where(a => a.EndsWith("DataLoader", StringComparison.Ordinal)))
            plan.Notes.Add($"{loader} returns null until you return your batches from it; loaders passed to the Trainer or a data module take precedence over it.");
        return plan;
    }

    private void PlanCallbacks(EditPlan plan, HookContext context, List<string> callbacks, List<string> members, List<string> added, List<HookDefinition> hooks)
    {
        // A callback the module returns replaces the Trainer's callback of the same type (Lightning's rule), so one
        // configured elsewhere (Program.cs's TrainerOptions, say) would be dropped silently: leave that one in charge.
        foreach (var (callback, where) in callbacks.Select(c => (c, ConfiguredForTheTrainer(c))).Where(p => p.Item2 is not null).ToList())
        {
            plan.Unchanged.Add($"{where} configures {callback} for the Trainer already; one returned by {module.Name}.ConfigureCallbacks would replace it, so none was added. Change the one in {where} instead.");
            callbacks.Remove(callback);
        }
        if (callbacks.Count == 0) return;
        var existing = module.Methods("ConfigureCallbacks").FirstOrDefault(m => m.Method.Modifiers.Any(SyntaxKind.OverrideKeyword));
        if (existing.Method is null)
        {
            members.Add(context.RenderHook(HookCatalog.FindHook("ConfigureCallbacks")!, [.. callbacks.Select(context.RenderCallback)]));
            added.Add($"ConfigureCallbacks (with {Join(callbacks)})");
        }
        else
        {
            var present = callbacks.Where(c => CallbackListEditor.Creates(existing.Method, c)).ToList();
            foreach (var callback in present) plan.Unchanged.Add($"ConfigureCallbacks in {module.Name} returns a {callback} already.");
            var missing = callbacks.Except(present).ToList();
            if (missing.Count > 0)
            {
                var local = new HookContext(module, module.Parts.First(p => p.Declaration.Members.Contains(existing.Method)), _globalScope);
                var expressions = missing.Select(local.RenderCallback).ToList();
                var change = CallbackListEditor.Add(existing.Document, existing.Method, expressions)
                    ?? throw new ToolException(
                        $"ConfigureCallbacks in {Path.GetFileName(existing.Document.Path)} is not written as `yield return ...`, `=> [...]` or a list initializer, so the tool does not change it. Nothing was changed. Add by hand to the callbacks it returns:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", expressions)}");
                plan.Change(existing.Document.File, change);
                plan.Done.Add($"Added {Join(missing)} to ConfigureCallbacks in {Path.GetFileName(existing.Document.Path)}.");
            }
        }
        var validates = module.Overrides.Contains("ValidationStep") || hooks.Any(h => h.Name == "ValidationStep");
        if (!validates)
            plan.Notes.Add($"{Join(callbacks)} {(callbacks.Count == 1 ? "monitors" : "monitor")} val_loss, which {module.Name} logs only once it validates: run `dotnet lightning add-hook validation`.");
    }

    // A callback created anywhere but in a module's ConfigureCallbacks (this module's or another's) is taken to be the Trainer's.
    private string? ConfiguredForTheTrainer(string callback) =>
        project.Documents
            .SelectMany(d => d.Root.DescendantNodes().OfType<ObjectCreationExpressionSyntax>().Select(o => (Document: d, Creation: o)))
            .Where(x => CallbackListEditor.IsOf(x.Creation, callback)
                && !x.Creation.Ancestors().OfType<MethodDeclarationSyntax>().Any(m => m.Identifier.ValueText == "ConfigureCallbacks"))
            .Select(x => $"{Path.GetFileName(x.Document.Path)} (line {x.Creation.GetLocation().GetLineSpan().StartLinePosition.Line + 1})")
            .FirstOrDefault();

    private void PlanScheduler(EditPlan plan, HookContext context, List<string> members, List<string> added)
    {
        var configure = HookCatalog.FindHook("ConfigureOptimizers")!;
        var existing = module.Methods("ConfigureOptimizers").FirstOrDefault(m => m.Method.Modifiers.Any(SyntaxKind.OverrideKeyword));
        if (existing.Method is null)
        {
            members.Add(context.RenderHook(configure, scheduler: true));
            added.Add("ConfigureOptimizers (Adam with a StepLR scheduler)");
            plan.Notes.Add("ConfigureOptimizers uses Adam with learning rate 1e-3; change it to your optimizer and rate.");
            return;
        }
        var file = Path.GetFileName(existing.Document.Path);
        if (OptimizerConfigEditor.HasScheduler(existing.Method))
        {
            plan.Unchanged.Add($"ConfigureOptimizers in {module.Name} configures a learning-rate scheduler already.");
            return;
        }
        var local = new HookContext(module, module.Parts.First(p => p.Declaration.Members.Contains(existing.Method)), _globalScope);
        if (OptimizerConfigEditor.PlainOptimizer(existing.Method) is not { } optimizer)
        {
            var example = Templates.TemplateRenderer.Render("Hooks.SchedulerReturn", local.Variables);
            throw new ToolException(
                $"ConfigureOptimizers in {file} does more than return one optimizer, so the tool does not change it. Nothing was changed. To add a scheduler by hand, end it like this (with your optimizer in `optimizer`):{Environment.NewLine}{example.TrimEnd()}");
        }
        var rendered = local.RenderHook(configure, optimizer: OneLine(optimizer), scheduler: true);
        var block = rendered[rendered.IndexOf("\n{", StringComparison.Ordinal)..].TrimStart('\n');
        plan.Change(existing.Document.File, OptimizerConfigEditor.ReplaceBody(existing.Document, existing.Method, block));
        plan.Done.Add($"ConfigureOptimizers in {file} now returns its optimizer with a StepLR scheduler (halving the learning rate every 10 epochs).");
    }

    private static string OneLine(ExpressionSyntax expression) =>
        string.Join(" ", expression.ToString().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    private static string Join(IReadOnlyList<string> items) =>
        items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];
}
