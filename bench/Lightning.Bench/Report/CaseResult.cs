using System.Text.Json;
using Lightning.IO;

namespace Lightning.Bench.Report;

/// <summary>What a case process hands to the report: a Markdown section and its goals.</summary>
/// <param name="Order">Where the section goes in the report (the case number).</param>
/// <param name="Title">The section title.</param>
/// <param name="Body">The section's Markdown: method, table, notes.</param>
/// <param name="Goals">The goals the case checks.</param>
/// <param name="Issue">The issue that sets the case's goals.</param>
internal sealed record CaseResult(int Order, string Title, string Body, IReadOnlyList<Goal> Goals, int Issue = 8)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static CaseResult Load(string path) =>
        JsonSerializer.Deserialize<CaseResult>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} holds no case result.");
}
