namespace Lightning.Tests;

/// <summary>
/// The test assembly's entry point. The test runner loads the assembly without calling it; a test that needs a
/// process of its own (one it kills while it writes a checkpoint) starts the assembly with a role.
/// </summary>
internal static class Program
{
    public static int Main(string[] args) => args switch
    {
        ["checkpoint-writer", var folder] => CheckpointWriterProcess.Run(folder),
        ["read-checkpoint", var path] => HostileCheckpointTests.ReadCheckpoint(path),
        ["killed-run", var root, var save] => KilledRunProcess.Run(root, int.Parse(save, System.Globalization.CultureInfo.InvariantCulture)),
        ["ddp-worker", .. var rest] => DdpWorkerProcess.Run(rest),
        ["interrupted-fit", var root] => InterruptedFitProcess.Run(root),
        _ => 0,
    };
}
