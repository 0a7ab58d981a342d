namespace Lightning.Tests.Support;

/// <summary>Fresh folders under the system temp folder for a test's files.</summary>
internal static class TempDir
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "lightning-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
