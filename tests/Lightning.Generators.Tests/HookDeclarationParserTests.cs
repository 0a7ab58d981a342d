using Lightning.Tests.Support;
using Microsoft.CodeAnalysis.Text;

namespace Lightning.Generators.Tests;

/// <summary>The declaration file read from its syntax alone: the runtime's own file, and the mistakes it reports.</summary>
[TestClass]
public sealed class HookDeclarationParserTests
{
    internal static string DeclarationPath => Path.Combine(RepositoryPaths.Root, "runtime", "Lightning", "Core", "Hooks", HookDeclarationParser.FileName);

    // A declaration file holding the given interface members.
    internal static string Declaration(string members) => $$"""
        namespace Lightning.Hooks;

        internal interface IHookDeclarations<TBatch>
        {
        {{members}}
        }
        """;

    [TestMethod]
    public void TheRuntimesDeclarationReadsWithoutMistakesIntoTheModelTheEmittersUse()
    {
        var file = HookDeclarationParser.Parse(SourceText.From(File.ReadAllText(DeclarationPath)));

        Assert.IsEmpty(file.Errors, string.Join(Environment.NewLine, file.Errors));
        Assert.IsGreaterThan(60, file.Hooks.Count);
        Assert.AreEqual("PrepareData", file.Hooks[0].Name, "hooks keep the file's order, Lightning's calling order");
        CollectionAssert.Contains(file.Usings.ToList(), "using static TorchSharp.torch;");

        var batchEnd = file.Hooks.Single(h => h.Name == "OnTrainBatchEnd");
        Assert.AreEqual("on_train_batch_end", batchEnd.PythonName);
        Assert.AreEqual(HookTargets.Module | HookTargets.Callbacks, batchEnd.Targets);
        Assert.AreEqual(HookOrder.CheckpointCallbacksLast, batchEnd.Order);
        Assert.AreEqual(HookLog.PerStep, batchEnd.Log);
        Assert.IsTrue(batchEnd.UsesBatch);
        Assert.AreEqual("StepOutput outputs, TBatch batch, int batchIdx", batchEnd.ParameterList);
        Assert.AreEqual("Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx", batchEnd.CallbackParameterList);

        Assert.AreEqual("train_dataloader", file.Hooks.Single(h => h.Name == "TrainDataLoader").PythonName);
        var clip = file.Hooks.Single(h => h.Name == "ClipGradients");
        Assert.AreEqual("gradientClipAlgorithm = null", clip.Parameters[2].Name + " = " + clip.Parameters[2].DefaultValue);
        Assert.IsFalse(file.Hooks.Single(h => h.Name == "OnFitStart").UsesBatch);
    }

    [TestMethod]
    [DataRow("void OnFoo();", "OnFoo in HookDeclarations.cs needs [Hook(\"one line of help\", ...)]")]
    [DataRow("[Hook(\"Help.\")] int OnFoo();", "OnFoo returns int, so its default cannot be generated")]
    [DataRow("[Hook(\"Help.\", Log = HookLog.Sometimes)] void OnFoo();", "OnFoo: [Hook] Log = Sometimes is not a member of HookLog")]
    [DataRow("[Hook(\"Help.\", Targets = HookTargets.Module | HookTargets.Everyone)] void OnFoo();", "Everyone is not a member of HookTargets")]
    [DataRow("[Hook(\"Help.\", When = 1)] void OnFoo();", "OnFoo: [Hook] has no setting 'When = 1'")]
    [DataRow("[Hook(\"Help.\")] void OnFoo(); [Hook(\"Again.\")] void OnFoo(int x);", "OnFoo is declared twice")]
    [DataRow("[Hook(\"Help.\", Targets = HookTargets.Callbacks)] void OnFoo(IList<TBatch> batches);", "callbacks, which see the batch only as object")]
    public void AMistakeIsReportedNamingTheHookAndTheFix(string members, string expected)
    {
        var file = HookDeclarationParser.Parse(SourceText.From(Declaration(members)));
        Assert.IsTrue(file.Errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), string.Join(Environment.NewLine, file.Errors));
    }

    [TestMethod]
    public void AFileWithoutTheDeclaringInterfaceSaysSo()
    {
        var file = HookDeclarationParser.Parse(SourceText.From("namespace Lightning.Hooks;\ninternal interface ISomethingElse { }"));
        Assert.AreEqual("HookDeclarations.cs declares no interface IHookDeclarations<TBatch>; the hooks are its methods.", file.Errors.Single());
    }
}
