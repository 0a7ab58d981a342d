using System.Text;

namespace Lightning.Templates.Tests.Support;

/// <summary>
/// Compares a generated project with the snapshot kept in Snapshots/&lt;case&gt;: the list of files, and the text of
/// every file except data files. A difference fails with a line diff; with LIGHTNING_UPDATE_SNAPSHOTS=1 the
/// snapshot is rewritten instead, for review in the commit.
/// </summary>
internal static class Snapshot
{
    private const string FileList = "files.txt";
    private static readonly string[] DataExtensions = [".gz", ".csv"];

    // What building, restoring and running a project adds to it, which is not part of what the template generates.
    private static readonly string[] RunOutputs = ["bin/", "obj/", "lightning_logs/", "checkpoints/"];

    public static void Match(string snapshotCase, string directory)
    {
        var expectedRoot = Path.Combine(RepositoryPaths.Snapshots, snapshotCase);
        var files = System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Where(f => !RunOutputs.Any(folder => f.StartsWith(folder, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToList();
        var actual = new Dictionary<string, string>(StringComparer.Ordinal) { [FileList] = string.Join('\n', files) + "\n" };
        foreach (var file in files.Where(f => !DataExtensions.Contains(Path.GetExtension(f))))
            actual[file] = File.ReadAllText(Path.Combine(directory, file)).Replace(TemplateEnvironment.Version, "@LightningVersion@", StringComparison.Ordinal);

        if (Environment.GetEnvironmentVariable("LIGHTNING_UPDATE_SNAPSHOTS") == "1")
        {
            if (System.IO.Directory.Exists(expectedRoot)) System.IO.Directory.Delete(expectedRoot, recursive: true);
            foreach (var (file, text) in actual)
            {
                var path = Path.Combine(expectedRoot, file);
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
            }
            return;
        }

        var report = new StringBuilder();
        foreach (var (file, text) in actual)
        {
            var path = Path.Combine(expectedRoot, file);
            if (!File.Exists(path))
            {
                report.AppendLine($"{file}: not in the snapshot {expectedRoot}");
                continue;
            }
            var expected = File.ReadAllText(path);
            if (expected != text) report.AppendLine($"{file} differs from the snapshot (- snapshot, + generated):").AppendLine(Diff(expected, text));
        }
        if (report.Length > 0)
            Assert.Fail($"The generated project differs from Snapshots/{snapshotCase}. If the change is intended, run the tests with LIGHTNING_UPDATE_SNAPSHOTS=1 and review the diff.\n{report}");
    }

    /// <summary>A line diff with two lines of context around each change.</summary>
    private static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
        var lines = new List<(char Kind, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { lines.Add((' ', a[x])); x++; y++; }
            else if (y < b.Length && (x == a.Length || common[x, y + 1] >= common[x + 1, y])) lines.Add(('+', b[y++]));
            else lines.Add(('-', a[x++]));
        }
        var shown = new StringBuilder();
        for (var k = 0; k < lines.Count; k++)
        {
            var nearChange = Enumerable.Range(Math.Max(0, k - 2), Math.Min(lines.Count, k + 3) - Math.Max(0, k - 2)).Any(n => lines[n].Kind != ' ');
            if (nearChange) shown.Append(lines[k].Kind).Append(' ').AppendLine(lines[k].Text);
            else if (shown.Length > 0 && !shown.ToString().EndsWith("...\n", StringComparison.Ordinal)) shown.AppendLine("...");
        }
        return shown.ToString();
    }
}
