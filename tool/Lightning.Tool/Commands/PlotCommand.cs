using System.CommandLine;
using System.Globalization;
using Lightning.Plotting;

namespace Lightning.Tool.Commands;

/// <summary>
/// <c>dotnet lightning plot [run...]</c>: draws runs' metrics (loss, accuracy, ... against the step; training,
/// validation and test of a quantity in one panel; several runs overlaid) from their <c>metrics.csv</c> to a PNG or SVG.
/// </summary>
internal static class PlotCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(ToolContext context)
    {
        var runs = new Argument<string[]>("run")
        {
            Description = "Run folders (lightning_logs/version_N) or metrics.csv files; an experiment folder (lightning_logs) means all its runs; an lr_find.csv is drawn as the learning-rate finder's curve. Default: the newest run in ./lightning_logs.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "The image to write: .png or .svg.",
            HelpName = "file",
            DefaultValueFactory = _ => "metrics.png",
        };
        var metrics = new Option<string[]>("--metric", "-m")
        {
            Description = "Draw only these quantities or metrics (loss, acc, val_loss); repeat for several. Default: all.",
            HelpName = "name",
        };
        var width = new Option<int?>("--width") { Description = "The image's width in pixels. Default: 640 per panel.", HelpName = "pixels" };
        var height = new Option<int?>("--height") { Description = "The image's height in pixels. Default: 480.", HelpName = "pixels" };
        var command = new Command("plot", "Draw runs' metrics (from metrics.csv) against the step to a PNG or SVG image.")
        {
            runs, output, metrics, width, height,
        };
        command.SetAction(parse =>
        {
            var given = parse.GetValue(runs) ?? [];
            // The learning-rate finder's lr_find.csv is drawn as its curve; everything else is a run.
            var curves = given.Select(context.FullPath).Where(LrFinderChart.IsCurve).ToList();
            var others = given.Where(g => !curves.Contains(context.FullPath(g))).ToArray();
            var folders = curves.Count > 0 && others.Length == 0 ? [] : RunFolders(others, context);
            var path = context.FullPath(parse.GetValue(output)!);
            if (Path.GetExtension(path).ToLowerInvariant() is not ".png" and not ".svg")
                throw ToolException.Usage($"--output {parse.GetValue(output)}: name a .png or .svg file.");
            if (parse.GetValue(width) is <= 0 || parse.GetValue(height) is <= 0)
                throw ToolException.Usage("--width and --height must be positive numbers of pixels.");
            IReadOnlyList<ChartPanel> panels;
            try
            {
                panels = [.. folders.Count == 0 ? [] : MetricsChart.Panels(folders.Select(RunMetrics.Read).ToList(), parse.GetValue(metrics)),
                    .. curves.Select(LrFinderChart.Panel)];
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException)
            {
                throw new ToolException(e.Message);
            }
            Chart.Save(path, panels, parse.GetValue(width), parse.GetValue(height));
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {Path.GetRelativePath(context.WorkingDirectory, path)}: {string.Join(", ", panels.Select(p => $"{p.Title} ({p.Series.Count} lines)"))}."));
            return ExitCodes.Success;
        });
        return command;
    }

    // The runs named, with experiment folders opened into their version folders; without any, the newest run here.
    private static List<string> RunFolders(string[] given, ToolContext context)
    {
        if (given.Length == 0)
        {
            var experiment = context.FullPath("lightning_logs");
            return [Versions(experiment).LastOrDefault() ?? throw new ToolException(
                "No run to plot here: there is no lightning_logs/version_N with a metrics.csv in this folder. Pass a run, e.g. `dotnet lightning plot path/to/lightning_logs/version_0`.")];
        }
        var folders = new List<string>();
        foreach (var run in given.Select(context.FullPath))
        {
            var versions = Directory.Exists(run) && !File.Exists(Path.Combine(run, "metrics.csv")) ? Versions(run) : [];
            if (versions.Count > 0) folders.AddRange(versions);
            else folders.Add(run);
        }
        return folders;
    }

    // version_N folders holding a metrics.csv, by N.
    private static List<string> Versions(string experiment) =>
        Directory.Exists(experiment)
            ? Directory.GetDirectories(experiment, "version_*")
                .Where(d => File.Exists(Path.Combine(d, "metrics.csv")))
                .Select(d => (Folder: d, Number: int.TryParse(Path.GetFileName(d)["version_".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1))
                .Where(v => v.Number >= 0).OrderBy(v => v.Number).Select(v => v.Folder).ToList()
            : [];
}
