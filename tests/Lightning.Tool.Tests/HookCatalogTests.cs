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
    public void EveryEntryGroupAndCallbackHasATemplate()
    {
        foreach (var hook in HookCatalog.Hooks)
            Assert.IsTrue(TemplateRenderer.Exists("Hooks." + hook.Template), $"{hook.Name}: no template Templates/Hooks/{hook.Template}.scriban");
        foreach (var group in HookCatalog.Groups)
        {
            foreach (var hook in group.Hooks) Assert.IsNotNull(HookCatalog.FindHook(hook), $"group {group.Name}: unknown hook {hook}");
            foreach (var callback in group.Callbacks) Assert.IsTrue(TemplateRenderer.Exists("Callbacks." + callback), $"group {group.Name}: no template Callbacks/{callback}.scriban");
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
