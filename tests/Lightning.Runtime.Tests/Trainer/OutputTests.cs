using System.Text.RegularExpressions;
using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>Everything the runtime writes for people goes through its one output sink, and nothing around it.</summary>
[TestClass]
public sealed class OutputTests
{
    private sealed class PrintingModel : TinyModel
    {
        public override void OnTrainStart() => Print("printed by", "the module");
    }

    [TestMethod]
    public void ARedirectedFitSendsTheBarSummaryTablesInformationAndWarningsToTheSinkAndNothingToTheConsole()
    {
        var options = Quiet.Options(maxEpochs: 2);
        options.EnableProgressBar = true;
        options.EnableModelSummary = true;
        options.Profiler = "simple";
        options.Precision = "16-mixed";
        options.Callbacks.Add(new EarlyStopping("val_loss", verbose: true));
        using var model = new PrintingModel();
        var (console, consoleErrors) = (new StringWriter(), new StringWriter());
        var (previousOut, previousError) = (Console.Out, Console.Error);
        Console.SetOut(console);
        Console.SetError(consoleErrors);
        CapturedOutput captured;
        try
        {
            using (captured = new CapturedOutput())
            {
                var trainer = new Trainer(options);
                trainer.Fit(model, RandomData.Batches(4), RandomData.Batches(2, seed: 1));
                trainer.Validate();
            }
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }

        Assert.AreEqual("", console.ToString(), "standard output, written around the sink");
        Assert.AreEqual("", consoleErrors.ToString(), "standard error, written around the sink");
        StringAssert.Contains(captured.Out, "Total params", "the model summary");
        StringAssert.Contains(captured.Out, "printed by the module", "LightningModule.Print");
        StringAssert.Matches(captured.Out, new Regex(@"Epoch 1: 100%\|"), "the progress bar");
        StringAssert.Contains(captured.Out, "Metric val_loss improved", "EarlyStopping's verbose line");
        StringAssert.Contains(captured.Out, "FIT Profiler Report", "the profiler's report");
        StringAssert.Contains(captured.Out, "Validate metric", "the metrics table");
        StringAssert.Contains(captured.Error, "Warning: You passed `Trainer(accelerator='cpu', precision='16-mixed')`", "a warning");
        StringAssert.Contains(captured.Error, "Trainer.Validate() was called without a module", "information");
    }

    [TestMethod]
    public void NoRuntimeSourceWritesToTheConsoleExceptTheSink()
    {
        // The runtime and LightningCli, its package of its own.
        var runtime = Path.Combine(RepositoryPaths.Root, "runtime");
        var sink = Path.Combine(runtime, "Lightning", "Trainer", "Output.cs");
        var bypasses = new[] { "Lightning", "Lightning.Cli" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(runtime, project), "*.cs", SearchOption.AllDirectories))
            .Where(file => file != sink && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (File: file, Number: i + 1, Line: line.Trim())))
            .Where(l => !l.Line.StartsWith("///", StringComparison.Ordinal) && Regex.IsMatch(l.Line, @"\bConsole\s*\."))
            .Select(l => $"{Path.GetRelativePath(runtime, l.File)}:{l.Number}: {l.Line}")
            .ToList();
        Assert.AreEqual(0, bypasses.Count, "write through Output instead:\n" + string.Join("\n", bypasses));
    }
}
