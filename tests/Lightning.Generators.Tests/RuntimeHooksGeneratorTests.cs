using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lightning.Generators.Tests;

/// <summary>The generator in a compilation: what it adds for a declaration, what it reports for a wrong one, nothing without one.</summary>
[TestClass]
public sealed class RuntimeHooksGeneratorTests
{
    private static GeneratorDriverRunResult Run(params (string Path, string Text)[] files)
    {
        var compilation = CSharpCompilation.Create("Scratch", files.Select(f => CSharpSyntaxTree.ParseText(f.Text, path: f.Path)));
        return CSharpGeneratorDriver.Create(new RuntimeHooksGenerator()).RunGenerators(compilation).GetRunResult();
    }

    [TestMethod]
    public void TheRuntimesDeclarationGivesEveryGeneratedFile()
    {
        var result = Run(("/repo/Core/Hooks/HookDeclarations.cs", File.ReadAllText(HookDeclarationParserTests.DeclarationPath)));

        Assert.IsEmpty(result.Diagnostics);
        CollectionAssert.AreEquivalent(
            new[]
            {
                "HookNames.g.cs", "HookRules.g.cs", "Callback.g.cs", "LambdaCallback.g.cs", "IModuleHooks.g.cs", "IDataModuleHooks.g.cs",
                "LightningModule.g.cs", "LightningModule{TBatch}.g.cs", "LightningDataModule.g.cs", "LightningDataModule{TBatch}.g.cs",
            },
            result.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).ToList());
        var lambda = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("LambdaCallback.g.cs", StringComparison.Ordinal)).ToString();
        StringAssert.Contains(lambda, "public override void OnTrainBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx) => _onTrainBatchStart?.Invoke(trainer, module, batch, batchIdx);");
    }

    [TestMethod]
    public void AWrongDeclarationIsACompileErrorAndGeneratesNothing()
    {
        var result = Run(("HookDeclarations.cs", HookDeclarationParserTests.Declaration("[Hook(\"Help.\")] int OnFoo();")));

        var error = result.Diagnostics.Single();
        Assert.AreEqual("LHG001", error.Id);
        Assert.AreEqual(DiagnosticSeverity.Error, error.Severity);
        StringAssert.Contains(error.GetMessage(), "set HandWrittenDefault = true");
        Assert.IsEmpty(result.GeneratedTrees);
    }

    [TestMethod]
    public void ACompilationWithoutTheDeclarationGetsNothing()
    {
        var result = Run(("Other.cs", HookDeclarationParserTests.Declaration("[Hook(\"Help.\")] void OnFoo();")));
        Assert.IsEmpty(result.Diagnostics);
        Assert.IsEmpty(result.GeneratedTrees);
    }
}
