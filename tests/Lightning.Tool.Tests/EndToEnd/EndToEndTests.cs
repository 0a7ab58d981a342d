using Lightning.Tool.Hooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Lightning.Tool.Tests.EndToEnd;

/// <summary>
/// The tool against a real project: an awkward module (partial across files, block namespace, CRLF, BOM,
/// #region, primary constructor, batch type through a using alias) gets every group; a second module gets
/// every hook of the catalog; four data modules are generated. The project is built once (warnings as
/// errors) and one run fits, validates, tests and predicts with each, printing what ran.
/// </summary>
[TestClass]
[TestCategory("EndToEnd")]
public sealed class EndToEndTests
{
    private static BuiltProject? _project;
    private static Dictionary<string, string> _results = [];

    /// <summary>
    /// EarlyStopping and ModelCheckpoint are written by another part of the runtime; until they exist there,
    /// their groups are generated and golden-tested but not built.
    /// </summary>
    private static bool RuntimeHasMonitoringCallbacks =>
        typeof(LightningModule).Assembly.GetType("Lightning.EarlyStopping") is not null
        && typeof(LightningModule).Assembly.GetType("Lightning.ModelCheckpoint") is not null;

    [ClassInitialize]
    public static void BuildAndRun(TestContext context)
    {
        _project = BuiltProject.Create("E2E");
        var p = _project;
        p.WriteProjectFile("E2E");
        p.Write("Net.cs", """
            using Lightning;
            using Batch = (TorchSharp.torch.Tensor X, TorchSharp.torch.Tensor Y);

            namespace E2E.Models
            {
                #region Model
                public sealed partial class Net(int inputs, int classes) : LightningModule<Batch>
                {
                    private readonly TorchSharp.Modules.Linear _layer = TorchSharp.torch.nn.Linear(inputs, classes);
                }
                #endregion
            }

            """, "\r\n", bom: true);
        p.Write("Net.Training.cs", """
            using Lightning;
            using TorchSharp;

            namespace E2E.Models
            {
                public sealed partial class Net
                {
                    public torch.Tensor forward(torch.Tensor x) => _layer.forward(x.flatten(1));

                    public override StepOutput TrainingStep((torch.Tensor X, torch.Tensor Y) batch, int batchIdx) =>
                        torch.nn.functional.cross_entropy(forward(batch.X), batch.Y);

                    // A primary constructor has no body to call RegisterComponents from, so the optimizer's set-up does.
                    public override OptimizerConfig? ConfigureOptimizers() => torch.optim.Adam(Registered().parameters(), 0.05);

                    private Net Registered()
                    {
                        if (!named_children().Any()) RegisterComponents();
                        return this;
                    }
                }
            }

            """);
        p.Write("Everything.cs", """
            using Lightning;
            using TorchSharp.Modules;
            using static TorchSharp.torch;

            namespace E2E;

            public sealed class Everything : LightningModule<(Tensor X, Tensor Y)>
            {
                private readonly Linear _layer = nn.Linear(4, 3);

                public Everything() => RegisterComponents();

                public Tensor forward(Tensor x) => _layer.forward(x);

                public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => nn.functional.cross_entropy(forward(batch.X), batch.Y);

                public override OptimizerConfig? ConfigureOptimizers() => optim.SGD(parameters(), 0.1);
            }

            """);
        p.Write("Ran.cs", """
            namespace E2E;

            /// <summary>Hooks that ran, recorded by statements the test adds to each generated hook.</summary>
            public static class Ran
            {
                public static SortedSet<string> Hooks { get; } = [];

                public static void Add(string hook) => Hooks.Add(hook);
            }

            """);
        p.Write("Program.cs", ProgramText);
        WriteData(p);

        string[] groups = ["validation", "test", "predict", "lr-scheduler", .. RuntimeHasMonitoringCallbacks ? new[] { "early-stopping", "checkpoint" } : []];
        p.Tool(["add-hook", .. groups, "--class", "Net"]);
        p.Tool(["add-hook", .. HookCatalog.Hooks.Select(h => h.PythonName), "--class", "Everything"]);
        MarkHooks(Path.Combine(p.Directory, "Everything.cs"));
        p.Tool("add-dataset", "csv", "--name", "Iris", "--path", "data/iris.csv");
        p.Tool("add-dataset", "idx", "--name", "Mnist", "--folder", "data/mnist", "--flatten", "--val-fraction", "0.25");
        p.Tool("add-dataset", "image-folder", "--name", "Shapes", "--path", "data/images", "--image-size", "8", "--grayscale", "--val-fraction", "0.25", "--test-fraction", "0.25");
        p.Tool("add-dataset", "tensor", "--name", "Points", "--path", "data/points.safetensors");
        p.Build();
        var output = p.Run();
        context.WriteLine(output);
        _results = output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains('=')).Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
    }

    [ClassCleanup]
    public static void Cleanup() => _project?.Dispose();

    [TestMethod]
    public void ValidationGroupValidatesTheAwkwardModule() => Assert.AreEqual("True", _results["net.val_loss"]);

    [TestMethod]
    public void TestGroupTestsTheAwkwardModule() => Assert.AreEqual("True", _results["net.test_loss"]);

    [TestMethod]
    public void PredictGroupPredictsEveryRow() => Assert.AreEqual("64", _results["net.predictions"]);

    [TestMethod]
    public void LrSchedulerGroupConfiguresAScheduler() => Assert.AreEqual("1", _results["net.schedulers"]);

    [TestMethod]
    public void MonitoringCallbacksAreUsed()
    {
        if (!RuntimeHasMonitoringCallbacks) Assert.Inconclusive("The runtime has no EarlyStopping/ModelCheckpoint yet; their groups are golden-tested only.");
        StringAssert.Contains(_results["net.callbacks"], "EarlyStopping");
        StringAssert.Contains(_results["net.callbacks"], "ModelCheckpoint");
    }

    [TestMethod]
    public void EveryGeneratedHookCompilesAndTheTrainerCallsThem()
    {
        var ran = _results["everything.ran"].Split(',').ToHashSet();
        string[] mustRun =
        [
            "Setup", "ConfigureCallbacks", "OnFitStart", "OnTrainStart", "OnTrainEpochStart", "OnTrainBatchStart", "OnBeforeBackward",
            "OnAfterBackward", "OptimizerStep", "OnTrainBatchEnd", "ValidationStep", "OnValidationEpochEnd", "OnTrainEpochEnd",
            "OnFitEnd", "TestStep", "OnTestEpochEnd", "PredictStep", "Teardown", "TransferBatchToDevice",
        ];
        var missing = mustRun.Where(h => !ran.Contains(h)).ToList();
        Assert.IsEmpty(missing, "Generated hooks the trainer did not call: " + string.Join(", ", missing) + ". Ran: " + string.Join(", ", ran));
    }

    [TestMethod]
    [DataRow("iris")]
    [DataRow("mnist")]
    [DataRow("shapes")]
    [DataRow("points")]
    public void GeneratedDataModuleFeedsFitAndTest(string name)
    {
        Assert.IsTrue(int.Parse(_results[name + ".train_batches"]) > 0, name + " yielded no training batch");
        Assert.AreEqual("True", _results[name + ".val_loss"], name + " validation did not run");
        Assert.AreEqual("True", _results[name + ".test_loss"], name + " test did not run");
    }

    private static void MarkHooks(string path)
    {
        var text = File.ReadAllText(path);
        var root = CSharpSyntaxTree.ParseText(text).GetRoot();
        var changes = root.DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.Modifiers.Any(SyntaxKind.OverrideKeyword) && m.Body is not null)
            .Select(m => new TextChange(new TextSpan(m.Body!.OpenBraceToken.Span.End, 0), $" Ran.Add(\"{m.Identifier.ValueText}\");"));
        File.WriteAllText(path, SourceText.From(text).WithChanges(changes).ToString());
    }

    private static void WriteData(BuiltProject p)
    {
        Directory.CreateDirectory(Path.Combine(p.Directory, "data"));
        File.Copy(Lightning.Tests.Support.RepositoryPaths.Data("iris.csv"), Path.Combine(p.Directory, "data", "iris.csv"));
        SampleData.Idx(Path.Combine(p.Directory, "data/mnist/train-images-idx3-ubyte.gz"), [40, 4, 4], i => (byte)(i / 16 % 3 * 100), gzip: true);
        SampleData.Idx(Path.Combine(p.Directory, "data/mnist/train-labels-idx1-ubyte.gz"), [40], i => (byte)(i % 3), gzip: true);
        SampleData.Idx(Path.Combine(p.Directory, "data/mnist/t10k-images-idx3-ubyte"), [9, 4, 4], i => (byte)(i / 16 % 3 * 100), gzip: false);
        SampleData.Idx(Path.Combine(p.Directory, "data/mnist/t10k-labels-idx1-ubyte"), [9], i => (byte)(i % 3), gzip: false);
        for (var i = 0; i < 6; i++)
        {
            SampleData.Bmp(Path.Combine(p.Directory, $"data/images/dark/{i}.bmp"), 12, (byte)(20 + i));
            SampleData.Bmp(Path.Combine(p.Directory, $"data/images/light/{i}.bmp"), 12, (byte)(220 - i));
        }
        SampleData.Safetensors(Path.Combine(p.Directory, "data/points.safetensors"), 30, 4, 3);
    }

    private const string ProgramText = """
        using E2E;
        using E2E.Models;
        using Lightning;
        using static TorchSharp.torch;

        Trainer.SeedEverything(1);
        var root = Path.Combine(Environment.CurrentDirectory, "runs");
        TrainerOptions Options() => new() { MaxEpochs = 2, EnableProgressBar = false, EnableModelSummary = false, Logger = false, DefaultRootDir = root };

        var x = randn(64, 4);
        var y = randint(0, 3, [64], dtype: int64);
        var net = new Net(4, 3);
        var trainer = new Trainer(Options());
        trainer.Fit(net, new TensorDataLoader(x, y, 16, shuffle: true), new TensorDataLoader(x, y, 32));
        Console.WriteLine("net.val_loss=" + trainer.CallbackMetrics.ContainsKey("val_loss"));
        Console.WriteLine("net.schedulers=" + trainer.LrSchedulerConfigs.Count);
        Console.WriteLine("net.callbacks=" + string.Join(",", trainer.Callbacks.Select(c => c.GetType().Name)));
        Console.WriteLine("net.test_loss=" + trainer.Test(net, new TensorDataLoader(x, y, 32), verbose: false)[0].ContainsKey("test_loss"));
        Console.WriteLine("net.predictions=" + trainer.Predict(net, new TensorDataLoader(x, y, 32)).Sum(p => p.shape[0]));

        var everything = new Everything();
        var all = new Trainer(Options());
        all.Fit(everything, new TensorDataLoader(x, y, 16), new TensorDataLoader(x, y, 32));
        all.Test(everything, new TensorDataLoader(x, y, 32), verbose: false);
        all.Predict(everything, new TensorDataLoader(x, y, 32));
        Console.WriteLine("everything.ran=" + string.Join(",", Ran.Hooks));

        Fit("iris", new Net(4, 3), new Iris());
        Fit("mnist", new Net(16, 3), new Mnist());
        Fit("shapes", new Net(64, 2), new Shapes());
        Fit("points", new Net(4, 3), new Points());

        void Fit(string name, Net model, LightningDataModule<(Tensor X, Tensor Y)> data)
        {
            var t = new Trainer(Options());
            t.Fit(model, dataModule: data);
            Console.WriteLine($"{name}.train_batches={t.NumTrainingBatches}");
            Console.WriteLine($"{name}.val_loss={t.CallbackMetrics.ContainsKey("val_loss")}");
            Console.WriteLine($"{name}.test_loss={t.Test(model, dataModule: data, verbose: false)[0].ContainsKey("test_loss")}");
        }

        """;
}
