using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>The progress bar and the model summary as a person reads them.</summary>
[TestClass]
public sealed class ConsoleOutputTests
{
    [TestMethod]
    public void PlainProgressLinesWhenOutputIsNotATerminal()
    {
        var output = new StringWriter();
        var options = Quiet.Options(maxEpochs: 2);
        options.Callbacks.Add(new ProgressBar(output: output, interactive: false));
        using var model = new DigitsClassifier(hiddenSize: 8);
        new Trainer(options).Fit(model, RandomData.Batches(10, features: 64, classes: 10), RandomData.Batches(2, features: 64, classes: 10, seed: 1));

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.IsFalse(output.ToString().Contains('\r'), "no carriage returns in plain mode");
        var epoch0 = lines.Where(l => l.StartsWith("Epoch 0: ", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(5, epoch0.Count, "one line per fifth of the epoch:\n" + output);
        StringAssert.StartsWith(epoch0[^1], "Epoch 0: 100%|██████████| 10/10 [");
        StringAssert.Contains(epoch0[^1], "it/s");
        StringAssert.Contains(lines.Last(l => l.StartsWith("Epoch 1: ", StringComparison.Ordinal)), "val_loss=", "progress-bar metrics are shown");
    }

    [TestMethod]
    public void InteractiveModeRedrawsOneLinePerEpoch()
    {
        var output = new StringWriter();
        var options = Quiet.Options();
        options.Callbacks.Add(new ProgressBar(refreshRate: TimeSpan.Zero, output: output, interactive: true));
        using var model = new DigitsClassifier(hiddenSize: 8);
        new Trainer(options).Fit(model, RandomData.Batches(3, features: 64, classes: 10));
        var text = output.ToString();
        Assert.AreEqual(4, text.Count(c => c == '\r'), "three redraws and the final one:\n" + text);
        Assert.IsTrue(text.EndsWith(Environment.NewLine, StringComparison.Ordinal));
    }

    /// <summary>Reports a metric whose printed width shrinks from step to step, so each redraw is shorter than the last.</summary>
    private sealed class ShrinkingMetric : TinyModel
    {
        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
        {
            Log("m", batchIdx switch { 0 => 0.123, 1 => 0.12, _ => 0.1 }, progBar: true);
            return base.TrainingStep(batch, batchIdx);
        }
    }

    [TestMethod]
    public void AShorterRedrawBlanksTheTailOfTheLongerLineItReplaces()
    {
        var output = new StringWriter();
        var options = Quiet.Options(maxEpochs: 2);
        options.Callbacks.Add(new ProgressBar(refreshRate: TimeSpan.Zero, output: output, interactive: true));
        using var model = new ShrinkingMetric();
        new Trainer(options).Fit(model, RandomData.Batches(4));
        // Each carriage return starts a redraw over the same line, until a redraw ends the line.
        var draws = output.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries);
        var covered = 0;
        for (var i = 1; i < draws.Length; i++)
        {
            if (draws[i - 1].EndsWith(Environment.NewLine, StringComparison.Ordinal)) continue;
            var current = draws[i].Replace(Environment.NewLine, "", StringComparison.Ordinal);
            Assert.IsGreaterThanOrEqualTo(draws[i - 1].TrimEnd().Length, current.Length, $"redraw {i} covers all of the text before it:\n{draws[i - 1]}|\n{current}|");
            if (current.TrimEnd().Length < draws[i - 1].TrimEnd().Length) covered++;
        }
        Assert.IsGreaterThan(0, covered, "some redraws were shorter than the line they replaced");
    }

    [TestMethod]
    public void ModelSummaryListsLayersAndTotals()
    {
        using var model = new DigitsClassifier(hiddenSize: 16);
        var table = ModelSummary.Render(model);
        var lines = table.Split(Environment.NewLine);
        StringAssert.StartsWith(lines[0], "  | Name    | Type   | Params | Mode");
        StringAssert.Contains(table, "0 | _hidden | Linear | 1 K    | train");
        StringAssert.Contains(table, "1 | _output | Linear | 170    | train");
        StringAssert.Contains(table, "1.2 K    Trainable params");
        StringAssert.Contains(table, "0        Non-trainable params");
        StringAssert.Contains(table, "0.005    Total estimated model params size (MB)");
    }

    /// <summary>Two layers run through call(), which fires TorchSharp's hooks, and one through forward(), which does not.</summary>
    private sealed class CalledLayers : LightningModule<(Tensor X, Tensor Y)>
    {
        public CalledLayers()
        {
            Hidden = nn.Linear(8, 4);
            Middle = nn.Linear(4, 4);
            Output = nn.Linear(4, 2);
            RegisterComponents();
            ExampleInputArray = randn(3, 8);
        }

        public TorchSharp.Modules.Linear Hidden { get; }

        public TorchSharp.Modules.Linear Middle { get; }

        public TorchSharp.Modules.Linear Output { get; }

        public Tensor forward(Tensor x) => Output.call(Middle.forward(nn.functional.relu(Hidden.call(x))));
    }

    [TestMethod]
    public void WithAnExampleInputTheSummaryShowsEachLayersSizes()
    {
        using var model = new CalledLayers();
        var table = ModelSummary.Render(model);
        var lines = table.Split(Environment.NewLine);
        StringAssert.Contains(lines[0], "| Mode  | In sizes | Out sizes", table);
        StringAssert.Contains(table, "| train | [3, 8]   | [3, 4]", table);
        StringAssert.Contains(table, "| train | [3, 4]   | [3, 2]", table);
        Assert.AreEqual(1, lines.Count(l => l.TrimEnd().EndsWith("| ?        | ?", StringComparison.Ordinal)), "the layer run with forward() has unknown sizes");
        Assert.IsTrue(model.training && model.Hidden.training, "the pass ran in evaluation mode and gave the modes back");
        Assert.IsFalse(ModelSummary.Render(new TinyModel()).Contains("In sizes", StringComparison.Ordinal), "no example, no sizes");
    }
}
