using System.Buffers.Binary;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Lightning.Tool.Tests.Support;

namespace Lightning.Tool.Tests;

/// <summary><c>dotnet lightning plot</c> draws the runs' metrics that <c>CsvLogger</c> wrote, one line per run and metric.</summary>
[TestClass]
public sealed class PlotCommandTests
{
    private const int TrainSteps = 10, Epochs = 3;

    // Two runs as the runtime's CsvLogger writes them: train_loss every step, val_loss and val_acc every epoch.
    private static string TwoRuns()
    {
        var root = Path.Combine(Path.GetTempPath(), "lightning-tool-tests", Guid.NewGuid().ToString("N"));
        for (var run = 0; run < 2; run++)
        {
            var logger = new CsvLogger(root);
            for (var step = 1; step <= TrainSteps; step++)
            {
                logger.LogMetrics(new Dictionary<string, double> { ["train_loss"] = 2.0 / step + run, ["epoch"] = step / 4 }, step);
                if (step % 3 == 0) logger.LogMetrics(new Dictionary<string, double> { ["val_loss"] = 1.5 / step + run, ["val_acc"] = 0.1 * step, ["epoch"] = step / 4 }, step);
            }
            logger.Finish("success");
        }
        return root;
    }

    [TestMethod]
    public void AnExperimentFoldersRunsAreOverlaidInASvgWithALinePerRunAndMetric()
    {
        var root = TwoRuns();

        var run = ToolRun.Invoke(root, "plot", "lightning_logs", "--output", "chart.svg");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Output, "loss (4 lines), acc (2 lines)");
        var svg = XDocument.Load(Path.Combine(root, "chart.svg")).Root!;
        Assert.AreEqual((1280, 480), ((int)svg.Attribute("width")!, (int)svg.Attribute("height")!), "a 640x480 panel each for loss and accuracy");
        // A data line is a 2-pixel path through all of its points; the legend's samples are 2-point paths.
        var lines = svg.Descendants().Where(e => e.Name.LocalName == "path" && (string?)e.Attribute("stroke-width") == "2")
            .Select(e => Regex.Matches((string)e.Attribute("d")!, "[ML]").Count).Where(points => points > 2).ToList();
        CollectionAssert.AreEquivalent(new[] { TrainSteps, TrainSteps, Epochs, Epochs, Epochs, Epochs }, lines,
            "train_loss and val_loss of both runs in the loss panel, val_acc of both in the accuracy panel");
    }

    [TestMethod]
    public void WithoutARunTheNewestRunHereIsDrawnToAPngOfTheSizeAsked()
    {
        var root = TwoRuns();

        var run = ToolRun.Invoke(root, "plot", "--width", "900", "--height", "300");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Output, "loss (2 lines), acc (1 lines)");
        var png = File.ReadAllBytes(Path.Combine(root, "metrics.png"));
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.AreEqual("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.AreEqual((900u, 300u), (BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20))));
        using var image = SkiaSharp.SKBitmap.Decode(png);
        foreach (var (panel, left) in new[] { ("loss", 0), ("acc", 450) })
        {
            var colored = Enumerable.Range(left, 450).SelectMany(x => Enumerable.Range(0, 300).Select(y => image.GetPixel(x, y)))
                .Count(p => Math.Max(p.Red, Math.Max(p.Green, p.Blue)) - Math.Min(p.Red, Math.Min(p.Green, p.Blue)) > 80);
            Assert.IsTrue(colored > 200, $"the {panel} panel has coloured lines ({colored} pixels)");
        }
    }

    [TestMethod]
    public void AFolderWithoutMetricsOrAnUnknownImageTypeIsRefusedWithTheFix()
    {
        var root = TwoRuns();
        Directory.CreateDirectory(Path.Combine(root, "empty"));

        var missing = ToolRun.Invoke(root, "plot", "empty");
        Assert.AreEqual(ExitCodes.Failure, missing.ExitCode, missing.ToString());
        StringAssert.Contains(missing.Error, "There is no metrics.csv at");
        StringAssert.Contains(missing.Error, "lightning_logs/version_N");

        var jpeg = ToolRun.Invoke(root, "plot", "-o", "chart.jpg");
        Assert.AreEqual(ExitCodes.Usage, jpeg.ExitCode, jpeg.ToString());
        StringAssert.Contains(jpeg.Error, "name a .png or .svg file");

        var metric = ToolRun.Invoke(root, "plot", "-m", "f1");
        Assert.AreEqual(ExitCodes.Failure, metric.ExitCode, metric.ToString());
        StringAssert.Contains(metric.Error, "they have train_loss, val_acc, val_loss");
        Assert.IsFalse(File.Exists(Path.Combine(root, "metrics.png")));
    }

    [TestMethod]
    public void TheLearningRateFindersCurveIsDrawnWithItsSuggestion()
    {
        var root = Path.Combine(Path.GetTempPath(), "lightning-tool-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        // As LrFinder.WriteCsv writes it: a rate per step, the smoothed loss (NaN where a step had none), the suggested row.
        var rows = Enumerable.Range(0, 20).Select(i => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{1e-4 * Math.Pow(10, i / 4.0):R},{(i == 5 ? "NaN" : (3.0 - i * 0.1).ToString("R", System.Globalization.CultureInfo.InvariantCulture))},{(i == 8 ? 1 : 0)}"));
        File.WriteAllLines(Path.Combine(root, "lr_find.csv"), ["lr,loss,suggested", .. rows]);

        var run = ToolRun.Invoke(root, "plot", "lr_find.csv", "--output", "lr.svg");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Output, "learning-rate finder (2 lines)", "the curve and the suggested point");
        var svg = XDocument.Load(Path.Combine(root, "lr.svg")).Root!;
        var lines = svg.Descendants().Where(e => e.Name.LocalName == "path" && (string?)e.Attribute("stroke-width") == "2")
            .Select(e => Regex.Matches((string)e.Attribute("d")!, "[ML]").Count).Where(points => points > 2).ToList();
        CollectionAssert.AreEqual(new[] { 19 }, lines, "one line through the 19 steps with a finite loss");
    }
}
