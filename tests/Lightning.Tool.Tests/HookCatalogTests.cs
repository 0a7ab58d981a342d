using Lightning.Generators;
using Lightning.Tool.Hooks;
using Lightning.Tool.Templates;
using Microsoft.CodeAnalysis.Text;
using Shared = Lightning.Tests.Support.RepositoryPaths;

namespace Lightning.Tool.Tests;

/// <summary>
/// The hook catalog is what the build generates from the runtime's hook declaration
/// (runtime/Lightning/Core/Hooks/HookDeclarations.cs), plus the body templates the tool keeps by hook name.
/// </summary>
[TestClass]
public sealed class HookCatalogTests
{
    private static readonly HookDeclarationFile Declaration = HookDeclarationParser.Parse(SourceText.From(
        File.ReadAllText(Path.Combine(Shared.Root, "runtime", "Lightning", "Core", "Hooks", HookDeclarationParser.FileName))));

    [TestMethod]
    public void TheCatalogHoldsTheDeclaredModuleHooksInTheirOrderWithSignatureAndHelp()
    {
        Assert.IsEmpty(Declaration.Errors);
        var declared = Declaration.Hooks.Where(h => h.ForModule).Select(h => $"{h.ReturnType} {h.Name}({h.ParameterList}) | {h.Help}").ToList();
        var catalog = HookCatalog.Hooks.Select(h => $"{h.Signature} | {h.Help}").ToList();

        CollectionAssert.AreEqual(declared, catalog);
        Assert.IsFalse(HookCatalog.Hooks.Any(h => h.Name == "OnException"), "a hook only callbacks get is no module hook");
    }

    [TestMethod]
    public void EverySignatureIsWrittenAsTheRuntimeDeclaresIt()
    {
        // With every namespace imported and TBatch kept, the override's first line is the declaration's; a type the
        // tool cannot place fails here.
        foreach (var hook in HookCatalog.Hooks)
            Assert.AreEqual("public override " + hook.Signature, HookSignature.Override(hook.Method, "TBatch", _ => ""));
        Assert.AreEqual("public override void OnBeforeZeroGrad(TorchSharp.torch.optim.Optimizer optimizer)",
            HookSignature.Override(HookCatalog.FindHook("OnBeforeZeroGrad")!.Method, "B", ns => ns + "."));
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
        // An empty stub replaces the default, so a hook whose default does something must call it.
        var handWritten = Declaration.Hooks.Where(h => h.HandWrittenDefault).Select(h => h.Name).ToHashSet();
        Assert.IsTrue(handWritten.Contains("OnValidationModelEval"));
        foreach (var hook in HookCatalog.Hooks.Where(h => handWritten.Contains(h.Name)))
            Assert.AreNotEqual(HookBody.Notification, hook.Body, hook.Name);
        Assert.AreEqual(HookBody.BaseCall, HookCatalog.FindHook("OnValidationModelEval")!.Body);
        Assert.AreEqual(HookBody.Notification, HookCatalog.FindHook("OnTrainEpochEnd")!.Body);
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
