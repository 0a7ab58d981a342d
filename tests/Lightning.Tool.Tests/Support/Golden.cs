using Lightning.Tool.CodeEditing;

namespace Lightning.Tool.Tests.Support;

/// <summary>
/// Golden files: expected text kept under Goldens/ in the repository. A mismatch fails with a unified diff
/// from golden to actual. Run the tests with LIGHTNING_UPDATE_GOLDENS=1 to rewrite them after an intended
/// change, then review the diff in git.
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string relativePath, string actual)
    {
        var path = Path.Combine(RepositoryPaths.Goldens, relativePath);
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("LIGHTNING_UPDATE_GOLDENS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.IsTrue(File.Exists(path), $"No golden file {path}. Run the tests with LIGHTNING_UPDATE_GOLDENS=1 to create it, and review it.");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected != actual)
            Assert.Fail($"The text differs from the golden file {relativePath} (LIGHTNING_UPDATE_GOLDENS=1 rewrites it):{Environment.NewLine}{UnifiedDiff.Create(relativePath, expected, actual)}");
    }

    /// <summary>The text inserted into <paramref name="before"/> to give <paramref name="after"/> (one contiguous insertion).</summary>
    public static string Inserted(string before, string after)
    {
        var prefix = 0;
        while (prefix < before.Length && before[prefix] == after[prefix]) prefix++;
        var suffix = 0;
        while (suffix < before.Length - prefix && before[^(suffix + 1)] == after[^(suffix + 1)]) suffix++;
        Assert.AreEqual(before.Length, prefix + suffix, "The tool changed existing text instead of only inserting.");
        return after[prefix..(after.Length - suffix)];
    }
}
