using Lightning.Tool.Hooks;
using Lightning.Tool.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Lightning.Tool.Tests.EndToEnd;

/// <summary>
/// The tool against a real project: an awkward module (partial across files, block namespace, CRLF, BOM,
/// #region, primary constructor, batch type through a using alias) gets every group; a second module gets
/// every hook of the catalog; modules the tool cannot fully write for (no <c>forward</c>, a batch type without
/// <c>Deconstruct</c>) get compiling TODO stubs; modules found through a base-class alias, a custom batch with
/// <c>Deconstruct</c> and a nested class get steps; data modules are generated with every option of every
/// kind, one of them wired into the project's <c>LightningCli.Run</c>. The project is built once (warnings as
/// errors) and one run fits, validates, tests and predicts with each, printing what ran; a second run trains
/// through LightningCli.
/// </summary>
[TestClass]
[TestCategory("EndToEnd")]
public sealed class EndToEndTests
{
    private static BuiltProject? _project;
    private static Dictionary<string, string> _results = [];
    private static readonly Dictionary<string, ToolRun> Runs = [];
    private static string _cliOutput = string.Empty;

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
        p.Write("ModuleShapes.cs", ModuleShapesText);
        p.Write("Aliased.cs", """
            using Module = Lightning.LightningModule<(TorchSharp.torch.Tensor X, TorchSharp.torch.Tensor Y)>;

            namespace E2E;

            /// <summary>Its base class named through a using alias.</summary>
            public sealed class Aliased : Module
            {
                private readonly TorchSharp.Modules.Linear _layer = TorchSharp.torch.nn.Linear(4, 3);

                public Aliased() => RegisterComponents();

                public TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x) => _layer.forward(x);

                public override Lightning.StepOutput TrainingStep((TorchSharp.torch.Tensor X, TorchSharp.torch.Tensor Y) batch, int batchIdx) =>
                    TorchSharp.torch.nn.functional.cross_entropy(forward(batch.X), batch.Y);

                public override Lightning.OptimizerConfig? ConfigureOptimizers() => TorchSharp.torch.optim.SGD(parameters(), 0.1);
            }

            """);
        WriteData(p);

        p.Tool("add-hook", "validation", "test", "predict", "lr-scheduler", "early-stopping", "checkpoint", "--class", "Net");
        p.Tool(["add-hook", .. HookCatalog.Hooks.Select(h => h.PythonName), "--class", "Everything"]);
        MarkHooks(Path.Combine(p.Directory, "Everything.cs"));
        // Written after Net got its callbacks: Program.cs configures the same ones for LightningCli's Trainer, which the tool leaves in charge.
        p.Write("Program.cs", ProgramText);
        Runs["no-forward"] = p.Tool("add-hook", "validation", "test", "predict", "--class", "NoForward");
        Runs["samples"] = p.Tool("add-hook", "validation", "predict", "--class", "OnSamples");
        Runs["duos"] = p.Tool("add-hook", "validation", "predict", "--class", "OnDuos");
        Runs["aliased"] = p.Tool("add-hook", "validation", "--class", "Aliased");
        Runs["nested"] = p.Tool("add-hook", "test", "--class", "Zoo.Nested");
        var classifier = File.ReadAllBytes(Path.Combine(p.Directory, "ModuleShapes.cs"));
        Runs["callbacks"] = p.Tool("add-hook", "early-stopping", "checkpoint", "--class", "Classifier");
        Runs["callbacks-unchanged"] = new ToolRun(File.ReadAllBytes(Path.Combine(p.Directory, "ModuleShapes.cs")).SequenceEqual(classifier) ? 0 : 1, string.Empty, string.Empty);

        p.Tool("add-dataset", "csv", "--name", "Iris", "--path", "data/iris.csv");
        string[] semi = ["add-dataset", "csv", "--name", "Semi", "--namespace", "E2E.Data", "--path", "data/semi.csv", "--delimiter", ";", "--label", "kind",
            "--features", "a,b,c d", "--header", "yes", "--missing", "mean", "--no-standardize", "--val-fraction", "0.2", "--test-fraction", "0.2",
            "--batch-size", "8", "--seed", "3"];
        p.Tool(semi);
        Runs["semi-force"] = p.Tool([.. semi, "--force"]);
        p.Tool("add-dataset", "csv", "--name", "Tabs", "--path", "data/tabs.tsv", "--delimiter", "tab", "--label", "3", "--features", "0,1,2", "--header", "no",
            "--missing", "skip");
        p.Tool("add-dataset", "idx", "--name", "Mnist", "--folder", "data/mnist", "--flatten", "--val-fraction", "0.25");
        p.Tool("add-dataset", "idx", "--name", "MnistImages", "--folder", "data/mnist", "--val-fraction", "0.25", "--batch-size", "4", "--seed", "5");
        p.Tool("add-dataset", "image-folder", "--name", "ColourShapes", "--path", "data/images", "--image-size", "6", "--val-fraction", "0.25", "--test-fraction", "0.25",
            "--batch-size", "4", "--seed", "2");
        p.Tool("add-dataset", "tensor", "--name", "Points", "--path", "data/points.safetensors");
        p.Tool("add-dataset", "tensor", "--name", "Named", "--path", "data/named.safetensors", "--x-key", "features", "--y-key", "targets",
            "--val-fraction", "0.2", "--test-fraction", "0.2", "--batch-size", "5", "--seed", "9");
        // Wired: Program.cs's LightningCli.Run switches from Iris to Shapes.
        Runs["wire"] = p.Tool("add-dataset", "image-folder", "--name", "Shapes", "--path", "data/images", "--image-size", "8", "--grayscale", "--flatten",
            "--val-fraction", "0.25", "--test-fraction", "0.25", "--wire");
        p.Build();
        var output = p.Run();
        context.WriteLine(output);
        _results = output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains('=')).Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        // No --model.input-size or --model.num-classes: LightningCli links them to Shapes's InputSize (64) and NumClasses (2);
        // the Classifier's defaults (4 and 3) would not fit the images.
        _cliOutput = p.Run("cli", "fit", "--trainer.max-epochs", "2", "--trainer.default-root-dir", Path.Combine(p.Directory, "cli-runs"));
        context.WriteLine(_cliOutput);
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
    [DataRow("iris", "4,3")]
    [DataRow("semi", "3,2")]
    [DataRow("tabs", "3,3")]
    [DataRow("mnist", "16,3")]
    [DataRow("mnistimages", "16,3")]
    [DataRow("shapes", "64,2")]
    [DataRow("colourshapes", "108,2")]
    [DataRow("points", "4,3")]
    [DataRow("named", "5,2")]
    public void GeneratedDataModuleFeedsFitAndTest(string name, string sizes)
    {
        Assert.AreEqual(sizes, _results[name + ".sizes"], name + "'s InputSize and NumClasses");
        Assert.IsTrue(int.Parse(_results[name + ".train_batches"]) > 0, name + " yielded no training batch");
        Assert.AreEqual("True", _results[name + ".val_loss"], name + " validation did not run");
        Assert.AreEqual("True", _results[name + ".finite"], name + " trained to a non-finite validation loss");
        Assert.AreEqual("True", _results[name + ".test_loss"], name + " test did not run");
    }

    [TestMethod]
    public void MissingValuesAreFilledOrSkipped()
    {
        // semi.csv: 20 rows, 2 missing features filled with the mean; tabs.tsv: 24 rows, 4 with a missing cell skipped.
        Assert.AreEqual("20", _results["semi.rows"]);
        Assert.AreEqual("20", _results["tabs.rows"]);
    }

    [TestMethod]
    public void QuotedCellsHoldingTheDelimiterStayOneCell() => Assert.AreEqual("x;1,y", _results["semi.classes"]);

    [TestMethod]
    [DataRow("no-forward", "NoForward has no forward method")]
    [DataRow("samples", "Sample does not split into inputs and labels")]
    public void StepsTheToolCannotWriteAreCompilingStubsItReports(string run, string reason)
    {
        StringAssert.Contains(Runs[run].Output, "is a stub marked TODO: ");
        StringAssert.Contains(Runs[run].Output, reason);
    }

    [TestMethod]
    public void StubsWithoutForwardStillLetTheModuleTrain() => Assert.AreEqual("True", _results["noforward.fitted"]);

    [TestMethod]
    [DataRow("duos", "Added ValidationStep, ValDataLoader, OnValidationEpochEnd, PredictStep and PredictDataLoader to OnDuos")]
    [DataRow("aliased", "Added ValidationStep, ValDataLoader and OnValidationEpochEnd to Aliased")]
    [DataRow("nested", "Added TestStep, TestDataLoader and OnTestEpochEnd to Nested")]
    public void ModulesOfEveryShapeGetSteps(string run, string done)
    {
        StringAssert.Contains(Runs[run].Output, done);
        Assert.IsFalse(Runs[run].Output.Contains("TODO", StringComparison.Ordinal), Runs[run].Output);
    }

    [TestMethod]
    public void CallbacksTheTrainerConfiguresAreNotReplacedSilently()
    {
        StringAssert.Contains(Runs["callbacks"].Output, "Program.cs (line ");
        StringAssert.Contains(Runs["callbacks"].Output, "configures EarlyStopping for the Trainer already");
        StringAssert.Contains(Runs["callbacks"].Output, "configures ModelCheckpoint for the Trainer already");
        Assert.AreEqual(0, Runs["callbacks-unchanged"].ExitCode, "ModuleShapes.cs, which holds Classifier, changed");
    }

    [TestMethod]
    public void ForceReplacesADataModuleTheToolWrote() => StringAssert.Contains(Runs["semi-force"].Output, "Replaced Semi.cs");

    [TestMethod]
    public void WiredDataModuleTrainsThroughLightningCliWithItsSizes()
    {
        StringAssert.Contains(Runs["wire"].Output, "now runs LightningCli.Run<Classifier, Shapes> instead of Iris");
        StringAssert.Contains(File.ReadAllText(Path.Combine(_project!.Directory, "Program.cs")), "LightningCli.Run<Classifier, Shapes>(");
        StringAssert.Contains(_cliOutput, "cli.fitted=");
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
        // Quoted cells holding the delimiter (the class x;1), a quoted header name with a space, missing features, a column left out.
        p.Write("data/semi.csv", "a;b;\"c d\";kind;extra\n" + string.Concat(Enumerable.Range(0, 20).Select(i =>
            $"{(i == 3 ? "" : (i % 5).ToString())};{(i == 7 ? "NA" : (i * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture))};{i % 2};{(i % 2 == 0 ? "\"x;1\"" : "y")};note {i}\n")));
        // No header, tab-separated, integer labels; four rows miss a cell.
        p.Write("data/tabs.tsv", string.Concat(Enumerable.Range(0, 24).Select(i => $"{(i % 6 == 5 ? "" : i.ToString())}\t{i % 4}\t{i % 3}\t{i % 3}\n")));
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
        SampleData.Safetensors(Path.Combine(p.Directory, "data/named.safetensors"), 40, 5, 2, "features", "targets");
    }

    private const string ModuleShapesText = """
        using Lightning;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        namespace E2E;

        /// <summary>Computes inside TrainingStep: no forward for generated steps to call.</summary>
        public sealed class NoForward : LightningModule<(Tensor X, Tensor Y)>
        {
            private readonly Linear _layer = nn.Linear(4, 3);

            public NoForward() => RegisterComponents();

            public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => nn.functional.cross_entropy(_layer.forward(batch.X), batch.Y);

            public override OptimizerConfig? ConfigureOptimizers() => optim.SGD(parameters(), 0.1);
        }

        /// <summary>A batch type with no Deconstruct.</summary>
        public sealed class Sample
        {
            public required Tensor Input { get; init; }

            public required Tensor Target { get; init; }
        }

        public sealed class OnSamples : LightningModule<Sample>
        {
            private readonly Linear _layer = nn.Linear(4, 3);

            public OnSamples() => RegisterComponents();

            public Tensor forward(Tensor x) => _layer.forward(x);

            public override StepOutput TrainingStep(Sample batch, int batchIdx) => nn.functional.cross_entropy(forward(batch.Input), batch.Target);

            public override OptimizerConfig? ConfigureOptimizers() => optim.SGD(parameters(), 0.1);
        }

        /// <summary>A batch type that deconstructs into inputs and labels.</summary>
        public sealed class Duo(Tensor input, Tensor target)
        {
            public void Deconstruct(out Tensor x, out Tensor y) => (x, y) = (input, target);
        }

        public sealed class OnDuos : LightningModule<Duo>
        {
            private readonly Linear _layer = nn.Linear(4, 3);

            public OnDuos() => RegisterComponents();

            public Tensor forward(Tensor x) => _layer.forward(x);

            public override StepOutput TrainingStep(Duo batch, int batchIdx)
            {
                var (x, y) = batch;
                return nn.functional.cross_entropy(forward(x), y);
            }

            public override OptimizerConfig? ConfigureOptimizers() => optim.SGD(parameters(), 0.1);
        }

        public static class Zoo
        {
            public sealed class Nested : LightningModule<(Tensor X, Tensor Y)>
            {
                private readonly Linear _layer = nn.Linear(4, 3);

                public Nested() => RegisterComponents();

                public Tensor forward(Tensor x) => _layer.forward(x);

                public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => nn.functional.cross_entropy(forward(batch.X), batch.Y);

                public override OptimizerConfig? ConfigureOptimizers() => optim.SGD(parameters(), 0.1);
            }
        }

        /// <summary>Shaped like the lightning-classifier template's model: its sizes are constructor parameters.</summary>
        public sealed class Classifier : LightningModule<(Tensor X, Tensor Y)>
        {
            private readonly Sequential _layers;

            public Classifier(int inputSize = 4, int numClasses = 3, int hiddenSize = 16)
            {
                _layers = nn.Sequential(nn.Linear(inputSize, hiddenSize), nn.ReLU(), nn.Linear(hiddenSize, numClasses));
                RegisterComponents();
            }

            public Tensor forward(Tensor x) => _layers.forward(x);

            public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => nn.functional.cross_entropy(forward(batch.X), batch.Y);

            public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
            {
                Log("val_loss", nn.functional.cross_entropy(forward(batch.X), batch.Y));
                return null;
            }

            public override OptimizerConfig? ConfigureOptimizers() => optim.Adam(parameters(), 0.01);
        }

        """;

    private const string ProgramText = """
        using E2E;
        using E2E.Models;
        using Lightning;
        using static TorchSharp.torch;

        if (args is ["cli", .. var cliArgs])
        {
            var code = LightningCli.Run<Classifier, Iris>(cliArgs, new LightningCliSettings
            {
                Seed = 1,
                TrainerDefaults = new TrainerOptions
                {
                    EnableProgressBar = false,
                    Callbacks =
                    [
                        new ModelCheckpoint(monitor: "val_loss", mode: MonitorMode.Min),
                        new EarlyStopping(monitor: "val_loss", patience: 5),
                    ],
                },
            });
            Console.WriteLine("cli.fitted=" + code);
            return code;
        }

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

        var noForward = new NoForward();
        new Trainer(Options()).Fit(noForward, new TensorDataLoader(x, y, 16), new TensorDataLoader(x, y, 32));
        Console.WriteLine("noforward.fitted=True");

        // Each data module's sizes make its model, as LightningCli makes them flow.
        var iris = new Iris();
        Fit("iris", iris, iris.InputSize, iris.NumClasses);
        var semi = new E2E.Data.Semi();
        Fit("semi", semi, semi.InputSize, semi.NumClasses);
        Console.WriteLine("semi.classes=" + string.Join(",", semi.ClassNames));
        var tabs = new Tabs();
        Fit("tabs", tabs, tabs.InputSize, tabs.NumClasses);
        var mnist = new Mnist();
        Fit("mnist", mnist, mnist.InputSize, mnist.NumClasses);
        var mnistImages = new MnistImages();
        Fit("mnistimages", mnistImages, mnistImages.InputSize, mnistImages.NumClasses);
        var shapes = new Shapes();
        Fit("shapes", shapes, shapes.InputSize, shapes.NumClasses);
        var colourShapes = new ColourShapes();
        Fit("colourshapes", colourShapes, colourShapes.InputSize, colourShapes.NumClasses);
        var points = new Points();
        Fit("points", points, points.InputSize, points.NumClasses);
        var named = new Named();
        Fit("named", named, named.InputSize, named.NumClasses);
        return 0;

        void Fit(string name, LightningDataModule<(Tensor X, Tensor Y)> data, int inputSize, int numClasses)
        {
            Console.WriteLine($"{name}.sizes={inputSize},{numClasses}");
            var model = new Net(inputSize, numClasses);
            var t = new Trainer(Options());
            t.Fit(model, dataModule: data);
            Console.WriteLine($"{name}.train_batches={t.NumTrainingBatches}");
            Console.WriteLine($"{name}.val_loss={t.CallbackMetrics.ContainsKey("val_loss")}");
            Console.WriteLine($"{name}.finite={t.CallbackMetrics.TryGetValue("val_loss", out var loss) && double.IsFinite(loss)}");
            Console.WriteLine($"{name}.rows={data.TrainDataLoader()!.Sum(b => b.X.shape[0]) + (data.ValDataLoader()?.Sum(b => b.X.shape[0]) ?? 0) + (data.TestDataLoader()?.Sum(b => b.X.shape[0]) ?? 0)}");
            Console.WriteLine($"{name}.test_loss={t.Test(model, dataModule: data, verbose: false)[0].ContainsKey("test_loss")}");
        }

        """;
}
