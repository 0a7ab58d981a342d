using System.Text;
using Lightning.Bench.Cli;
using Lightning.IO;

namespace Lightning.Bench.Report;

/// <summary>Puts the cases' results into one Markdown report and says whether every goal was met.</summary>
internal static class ReportWriter
{
    private static string GoalsSetBy(IReadOnlyList<CaseResult> results)
    {
        var issues = results.Select(r => r.Issue).Distinct().Order().ToList();
        return issues.Count == 1 ? $"Issue {issues[0]} sets the goals." : $"Issues {string.Join(", ", issues[..^1])} and {issues[^1]} set the goals.";
    }

    public static bool Write(BenchArgs args)
    {
        var results = Directory.GetFiles(args.Required("raw"), "*.json")
            .Where(f => !f.EndsWith(".raw.json", StringComparison.Ordinal))
            .Select(CaseResult.Load)
            .OrderBy(r => r.Order)
            .ToList();
        var goals = results.SelectMany(r => r.Goals).ToList();
        var missed = goals.Where(g => !g.Met).ToList();
        var text = new StringBuilder()
            .AppendLine("# Benchmarks: the Trainer against a hand-written TorchSharp loop")
            .AppendLine()
            .AppendLine($"Written by `{args.String("by", "bench/run.sh")}` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC at commit {args.String("commit", "unknown")}, " +
                $"in {args.String("duration", "?")}. {GoalsSetBy(results)}")
            .AppendLine()
            .AppendLine("## Machine")
            .AppendLine();
        foreach (var line in MachineDescription.Lines()) text.AppendLine($"- {line}");
        text.AppendLine($"- Load average (1, 5, 15 min) before the run: {args.String("load-before", "?")}; after: {args.String("load-after", "?")}. " +
                "A load above the number of cores means other work shared the machine; the timings carry it too.")
            .AppendLine()
            .AppendLine("## Goals")
            .AppendLine()
            .AppendLine("| goal | measured | target | met |")
            .AppendLine("| --- | --- | --- | --- |");
        foreach (var goal in goals) text.AppendLine($"| {goal.Name} | {goal.Measured} | {goal.Target} | {(goal.Met ? "yes" : "**no**")} |");
        if (missed.Count > 0)
        {
            text.AppendLine().AppendLine("Missed, by how much and why:").AppendLine();
            foreach (var goal in missed)
                text.AppendLine($"- **{goal.Name}**: {goal.Measured} against {goal.Target}. {goal.Why ?? "The case's section below has the measurements."}");
        }
        foreach (var result in results)
            text.AppendLine().AppendLine($"## {result.Title}").AppendLine().AppendLine($"Goals set by issue {result.Issue}.").AppendLine().Append(result.Body);
        if (args.String("notes", "") is { Length: > 0 } notes && File.Exists(notes) && File.ReadAllText(notes) is { Length: > 0 } noted)
            text.AppendLine().AppendLine("## Notes").AppendLine().Append(noted);
        AtomicFile.WriteAllText(args.Required("out"), text.ToString());

        Console.WriteLine(missed.Count == 0
            ? $"All {goals.Count} goals met; report: {args.Required("out")}"
            : $"{missed.Count} of {goals.Count} goals missed ({string.Join("; ", missed.Select(g => $"{g.Name}: {g.Measured}, goal {g.Target}"))}); report: {args.Required("out")}");
        return missed.Count == 0;
    }
}
