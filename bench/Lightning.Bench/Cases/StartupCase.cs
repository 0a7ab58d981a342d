using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lightning.Bench.Cli;
using Lightning.Bench.Measurement;
using Lightning.Bench.Report;

namespace Lightning.Bench.Cases;

/// <summary>
/// Case 5: from process start to the first optimizer step of a small classifier app. Starts the app several
/// times (one warm-up first) and reads the phases it prints (<c>phase NAME SECONDS</c>, seconds since the process
/// started, as bench/StartupProbe prints them). An app that prints no phases (the classifier template, run for one
/// training and one validation batch) is timed from outside only: start to exit, an upper bound of start to first step.
/// </summary>
internal static class StartupCase
{
    private const double Goal = 1.5;

    public static void Run(BenchArgs args)
    {
        var app = args.Required("app");
        var appArgs = args.String("app-args", "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var runs = args.Int("runs", 5);
        var label = args.String("label", Path.GetFileName(app));
        // The app's logs and checkpoints go there, not into the repository.
        var workingDirectory = args.String("cwd", Path.GetTempPath());
        var phases = new Dictionary<string, List<double>>();
        var wall = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var clock = Stopwatch.StartNew();
            using var process = ChildProcess.Start(Path.GetFullPath(app), appArgs, captureOutput: true, workingDirectory);
            var output = process.StandardOutput.ReadToEnd();
            ChildProcess.Check(process, label);
            clock.Stop();
            if (run == 0) continue;
            wall.Add(clock.Elapsed.TotalSeconds);
            foreach (var line in output.Split('\n').Where(l => l.StartsWith("phase ", StringComparison.Ordinal)))
            {
                var parts = line.Trim().Split(' ');
                if (!phases.TryGetValue(parts[1], out var list)) phases[parts[1]] = list = [];
                list.Add(double.Parse(parts[2], CultureInfo.InvariantCulture));
            }
        }

        var how = phases.Count > 0
            ? "The app prints, for each phase, the seconds from its process's start (`Process.StartTime`) to the phase's end; the " +
              "benchmark also times each start to exit from outside."
            : "The app prints no phases, so each start is timed from outside, from start to exit after the short run its arguments " +
              "ask for: an upper bound of the time to the first optimizer step.";
        var body = new StringBuilder()
            .AppendLine($"App: {label}. {runs + 1} starts, the first dropped (it warms the file cache). {how}")
            .AppendLine()
            .AppendLine("| phase ends | seconds since process start, min / median / max |")
            .AppendLine("| --- | --- |");
        foreach (var (name, values) in phases) body.AppendLine($"| {name} | {Stats.Of(values).Format("0.000")} |");
        body.AppendLine($"| process exit (timed from outside) | {Stats.Of(wall).Format("0.000")} |");

        var measured = phases.TryGetValue("first-step", out var firstStep) ? Stats.Of(firstStep).Median : Stats.Of(wall).Median;
        var what = phases.ContainsKey("first-step") ? "start to first optimizer step" : "start to exit after a one-batch run (upper bound of start to first step)";
        new CaseResult(5, "Case 5: startup", body.ToString(),
        [
            new Goal($"5: {what}, median seconds", measured.ToString("0.000"), $"< {Goal}", measured < Goal),
        ]).Save(Path.Combine(args.Required("out-dir"), "5-startup.json"));
    }
}
