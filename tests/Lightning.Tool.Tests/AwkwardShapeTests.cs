using Lightning.Tool.Tests.Support;

namespace Lightning.Tool.Tests;

/// <summary>
/// Modules in the shapes people really write: every byte the tool did not add stays as it was, and what it adds
/// follows the file's namespace style, indentation, line endings, encoding and batch type.
/// </summary>
[TestClass]
public sealed class AwkwardShapeTests
{
    private const string BlockNamespaceWithRegionsAndTabs = """
        using Lightning;
        using TorchSharp;

        namespace App.Models
        {
        	#region The model
        	internal sealed class Net(int inputs) : LightningModule<(torch.Tensor X, torch.Tensor Y)>
        	{
        		private readonly TorchSharp.Modules.Linear _layer = torch.nn.Linear(inputs, 3);

        		public torch.Tensor forward(torch.Tensor x) => _layer.forward(x);

        		public override StepOutput TrainingStep((torch.Tensor X, torch.Tensor Y) batch, int batchIdx) =>
        			torch.nn.functional.mse_loss(forward(batch.X), batch.Y);
        		#region Optimizers
        		public override OptimizerConfig? ConfigureOptimizers() => torch.optim.SGD(parameters(), 0.1);
        		#endregion
        	}
        	#endregion
        }

        """;

    [TestMethod]
    public void BlockNamespaceTabsRegionsAndPrimaryConstructorKeepEveryOtherByte()
    {
        using var project = new ScratchProject();
        project.Write("Net.cs", BlockNamespaceWithRegionsAndTabs, "\r\n", bom: true);
        var before = project.Bytes("Net.cs");
        var run = project.Run("add-hook", "validation_step", "OnTrainEpochEnd");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var after = project.Bytes("Net.cs");
        CollectionAssert.AreEqual(new byte[] { 0xEF, 0xBB, 0xBF }, after[..3], "The byte-order mark must stay.");
        var inserted = Golden.Inserted(System.Text.Encoding.UTF8.GetString(before), System.Text.Encoding.UTF8.GetString(after));
        Assert.IsFalse(inserted.Replace("\r\n", "").Contains('\n'), "Every inserted line ends with CRLF like the file.");
        StringAssert.Contains(inserted, "\t\tpublic override StepOutput? ValidationStep((torch.Tensor X, torch.Tensor Y) batch, int batchIdx)\r\n\t\t{\r\n");
        StringAssert.Contains(inserted, "torch.nn.functional.mse_loss(output, y)", "The validation loss follows TrainingStep's loss.");
        Assert.IsFalse(inserted.Contains("val_acc"), "No accuracy for a regression loss.");
        StringAssert.Contains(inserted, "public override void OnTrainEpochEnd()");
        var text = System.Text.Encoding.UTF8.GetString(after);
        Assert.IsTrue(text.IndexOf("\t\t#endregion", StringComparison.Ordinal) < text.IndexOf("ValidationStep", StringComparison.Ordinal),
            "New members go after the user's last region, not into it.");
    }

    [TestMethod]
    public void PartialClassAcrossFilesWithAliasUsesTheAliasOnlyWhereItIsInScope()
    {
        using var project = new ScratchProject();
        project.Write("Net.cs", """
            using Lightning;
            using Batch = (TorchSharp.torch.Tensor Features, TorchSharp.torch.Tensor Labels);

            namespace App;

            public partial class Net : LightningModule<Batch>
            {
            }

            """);
        project.Write("Net.Training.cs", """
            using Lightning;
            using static TorchSharp.torch;

            namespace App;

            public partial class Net
            {
                public Tensor forward(Tensor x) => x;

                public override StepOutput TrainingStep((Tensor Features, Tensor Labels) batch, int batchIdx) => nn.functional.cross_entropy(forward(batch.Features), batch.Labels);
            }

            """);
        var declaring = project.Bytes("Net.cs");
        var run = project.Run("add-hook", "test-step", "on-train-batch-start");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        CollectionAssert.AreEqual(declaring, project.Bytes("Net.cs"), "Members go into the part holding TrainingStep.");
        var training = project.Text("Net.Training.cs");
        StringAssert.Contains(training, "public override StepOutput? TestStep((TorchSharp.torch.Tensor Features, TorchSharp.torch.Tensor Labels) batch, int batchIdx)");
        StringAssert.Contains(training, "public override int OnTrainBatchStart((TorchSharp.torch.Tensor Features, TorchSharp.torch.Tensor Labels) batch, int batchIdx)");
        StringAssert.Contains(training, "Log(\"test_acc\", output.argmax(1).eq(y).to_type(float32).mean()");
    }

    [TestMethod]
    public void GenericBatchThroughAliasInTheSameFileKeepsTheAlias()
    {
        using var project = new ScratchProject();
        project.Write("Net.cs", """
            using Lightning;
            using TorchSharp;
            using Pair = System.ValueTuple<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

            namespace App;

            public abstract class Base<TBatch> : LightningModule<TBatch>
            {
            }

            public sealed class Net : Base<Pair>
            {
                public torch.Tensor forward(torch.Tensor x) => x;

                public override StepOutput TrainingStep(Pair batch, int batchIdx) => forward(batch.Item1).sum();
            }

            """);
        var run = project.Run("add-hook", "predict");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var text = project.Text("Net.cs");
        StringAssert.Contains(text, "public override torch.Tensor PredictStep(Pair batch, int batchIdx)");
        StringAssert.Contains(text, "var (x, _) = batch;");
        StringAssert.Contains(text, "public override IEnumerable<Pair>? PredictDataLoader()");
    }

    [TestMethod]
    public void ForwardInheritedFromTheProjectsBaseClassIsCalled()
    {
        using var project = new ScratchProject();
        project.Write("Net.cs", """
            using Lightning;
            using static TorchSharp.torch;

            namespace App;

            public abstract class Base : LightningModule<(Tensor X, Tensor Y)>
            {
                public Tensor forward(Tensor x) => x;
            }

            public sealed class Net : Base
            {
                public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => forward(batch.X).sum();
            }

            """);
        var run = project.Run("add-hook", "validation_step");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(project.Text("Net.cs"), "var output = forward(x);");
        Assert.IsFalse(run.Output.Contains("TODO", StringComparison.Ordinal), run.Output);
    }

    [TestMethod]
    public void StepsWithoutForwardOrWithoutAPairAreCompilingStubsTheOutputNames()
    {
        using var project = new ScratchProject();
        project.Write("Net.cs", """
            using Lightning;
            using static TorchSharp.torch;

            namespace App;

            public sealed class Net : LightningModule<(Tensor X, Tensor Y)>
            {
                public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => batch.X.sum();
            }

            """);
        var run = project.Run("add-hook", "validation_step", "predict_step");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var text = project.Text("Net.cs");
        Assert.IsFalse(text.Contains("forward(", StringComparison.Ordinal), "a call to a method the module does not have");
        StringAssert.Contains(text, "// TODO: Net has no forward method");
        StringAssert.Contains(run.Output, "ValidationStep in Net.cs is a stub marked TODO: Net has no forward method");
        StringAssert.Contains(run.Output, "PredictStep in Net.cs is a stub marked TODO");
    }

    [TestMethod]
    public void OneLineClassAndTwoSpaceIndentation()
    {
        using var project = new ScratchProject();
        project.Write("Net.cs", """
            using Lightning;
            using static TorchSharp.torch;
            namespace App {
              class Net : LightningModule<Tensor> { }
            }

            """);
        var run = project.Run("add-hook", "on_fit_start");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual("""
            using Lightning;
            using static TorchSharp.torch;
            namespace App {
              class Net : LightningModule<Tensor> { 
                public override void OnFitStart()
                {
                  // Called when fit begins, after the optimizers are set up.
                }
              }
            }

            """, project.Text("Net.cs"));
    }

    [TestMethod]
    public void AddingAnExistingHookChangesNothingAndSaysSo()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic, "\r\n");
        Assert.AreEqual(0, project.Run("add-hook", "validation").ExitCode);
        var once = project.Snapshot();
        var again = project.Run("add-hook", "validation", "validation_step");
        Assert.AreEqual(0, again.ExitCode, again.ToString());
        StringAssert.Contains(again.Output, "ValidationStep exists already in Classifier.");
        StringAssert.Contains(again.Output, "Nothing to change.");
        foreach (var (path, bytes) in project.Snapshot()) CollectionAssert.AreEqual(once[path], bytes, path + " changed on the second run");
    }

    [TestMethod]
    public void CallbacksJoinAnExistingConfigureCallbacks()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        Assert.AreEqual(0, project.Run("add-hook", "early-stopping").ExitCode);
        var run = project.Run("add-hook", "checkpoint", "early_stopping");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Output, "returns a EarlyStopping already");
        StringAssert.Contains(project.Text("Classifier.cs"), """
                    yield return new EarlyStopping(monitor: "val_loss", patience: 3, mode: MonitorMode.Min);
                    yield return new ModelCheckpoint(monitor: "val_loss", mode: MonitorMode.Min, saveTopK: 1);
                }
            """);
    }

    [TestMethod]
    public void CallbacksJoinACollectionExpression()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic.Replace(
            "    public override OptimizerConfig",
            "    public override IEnumerable<Callback> ConfigureCallbacks() => [new ModelSummary()];\n\n    public override OptimizerConfig"));
        var run = project.Run("add-hook", "checkpoint");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(project.Text("Classifier.cs"), "=> [new ModelSummary(), new ModelCheckpoint(monitor: \"val_loss\", mode: MonitorMode.Min, saveTopK: 1)];");
    }

    [TestMethod]
    public void SchedulerOnAnOptimizerBuiltInSeveralStatementsIsExplainedNotDone()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic.Replace(
            "public override OptimizerConfig ConfigureOptimizers() => optim.Adam(parameters(), 0.01);",
            "public override OptimizerConfig ConfigureOptimizers()\n    {\n        var adam = optim.Adam(parameters(), 0.01);\n        return adam;\n    }"));
        var snapshot = project.Snapshot();
        var run = project.Run("add-hook", "lr-scheduler", "validation");
        Assert.AreEqual(1, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Error, "does more than return one optimizer");
        StringAssert.Contains(run.Error, "return (optimizer, new LRSchedulerConfig(scheduler)");
        foreach (var (path, bytes) in project.Snapshot()) CollectionAssert.AreEqual(snapshot[path], bytes, path + " changed although the command failed");
    }
}
