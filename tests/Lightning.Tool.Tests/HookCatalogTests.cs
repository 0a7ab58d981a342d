using System.Reflection;
using Lightning.Tool.Hooks;
using Lightning.Tool.Templates;

namespace Lightning.Tool.Tests;

/// <summary>The hook catalog against the runtime: a hook added to the runtime without a catalog entry fails here.</summary>
[TestClass]
public sealed class HookCatalogTests
{
    private static readonly Type[] ModuleTypes = [typeof(LightningModule), typeof(LightningModule<>)];

    private static IReadOnlySet<string> RuntimeHooks() =>
        ModuleTypes
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.IsVirtual && !m.IsFinal && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly) && m.GetBaseDefinition() == m)
            .Select(m => m.Name)
            .ToHashSet(StringComparer.Ordinal);

    [TestMethod]
    public void EveryRuntimeHookHasACatalogEntry()
    {
        var missing = RuntimeHooks().Where(name => HookCatalog.FindHook(name) is null).Order(StringComparer.Ordinal).ToList();
        Assert.IsEmpty(missing, "Runtime hooks without an entry in tool/Lightning.Tool/Hooks/HookCatalog.cs (add one, with a template): " + string.Join(", ", missing));
    }

    [TestMethod]
    public void EveryCatalogEntryIsARuntimeHook()
    {
        var runtime = RuntimeHooks();
        var stale = HookCatalog.Hooks.Where(h => !runtime.Contains(h.Name)).Select(h => h.Name).ToList();
        Assert.IsEmpty(stale, "Catalog entries the runtime has no virtual method for: " + string.Join(", ", stale));
    }

    [TestMethod]
    public void EveryHookBodyGroupAndCallbackHasATemplate()
    {
        foreach (var hook in HookCatalog.Hooks)
            Assert.IsTrue(TemplateRenderer.Exists("Hooks." + hook.Body.Template), $"{hook.Name}: no template Templates/Hooks/{hook.Body.Template}.scriban");
        foreach (var group in HookCatalog.Groups)
        {
            foreach (var hook in group.Hooks) Assert.IsNotNull(HookCatalog.FindHook(hook), $"group {group.Name}: unknown hook {hook}");
            foreach (var callback in group.Callbacks) Assert.IsTrue(TemplateRenderer.Exists("Callbacks." + callback), $"group {group.Name}: no template Callbacks/{callback}.scriban");
        }
    }

    [TestMethod]
    public void BodiesAreListedOnlyForDeclaredHooks()
    {
        var stale = HookCatalog.Bodies.Keys.Where(name => HookCatalog.FindHook(name)?.Name != name).ToList();
        Assert.IsEmpty(stale, "tool/Lightning.Tool/Hooks/HookCatalog.cs lists bodies for hooks nobody declares: " + string.Join(", ", stale));
    }

    [TestMethod]
    public void OnlyHooksWhoseDefaultDoesNothingGetAnEmptyBody()
    {
        // An empty stub replaces the default, so a hook whose default does something must call it (HookBody.BaseCall).
        var methods = ModuleTypes.SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly)).ToList();
        foreach (var hook in HookCatalog.Hooks.Where(h => h.Body.Template == HookBody.Notification.Template))
        {
            var method = methods.Single(m => m.Name == hook.Name && m.GetParameters().Length == hook.Method.ParameterList.Parameters.Count);
            // `{ }` compiles to `ret`, or `nop; ret` without optimisation.
            Assert.IsLessThanOrEqualTo(2, method.GetMethodBody()!.GetILAsByteArray()!.Length,
                $"{hook.Name}'s default does something, so its stub must call it: declare it with HandWrittenDefault");
        }
    }

    [TestMethod]
    [DataRow("validation_step", "ValidationStep")]
    [DataRow("ValidationStep", "ValidationStep")]
    [DataRow("validation-step", "ValidationStep")]
    [DataRow("on_train_epoch_end", "OnTrainEpochEnd")]
    [DataRow("val_dataloader", "ValDataLoader")]
    [DataRow("lr_scheduler_step", "LrSchedulerStep")]
    public void HooksAreFoundByPythonCSharpAndKebabNames(string typed, string expected) =>
        Assert.AreEqual(expected, HookCatalog.FindHook(typed)?.Name);

    [TestMethod]
    public void PythonNamesFollowLightning()
    {
        Assert.AreEqual("train_dataloader", HookCatalog.FindHook("TrainDataLoader")!.PythonName);
        Assert.AreEqual("on_before_optimizer_step", HookCatalog.FindHook("OnBeforeOptimizerStep")!.PythonName);
        Assert.AreEqual("configure-optimizers", HookCatalog.FindHook("ConfigureOptimizers")!.KebabName);
    }

    [TestMethod]
    public void NearestNamesAreSuggestedForTypos()
    {
        CollectionAssert.Contains(NameSuggester.Nearest("validaton_step", HookCatalog.AllNames).ToList(), "validation_step");
        CollectionAssert.Contains(NameSuggester.Nearest("on_train_epoc_end", HookCatalog.AllNames).ToList(), "on_train_epoch_end");
        Assert.AreEqual(3, Lightning.Text.Spelling.Distance("kitten", "sitting"));
    }
}
