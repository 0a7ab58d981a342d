using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Lightning.Native;

namespace Lightning.Cli;

/// <summary>
/// The failures the CLI reports as one <c>error:</c> line and exit code 1 rather than a stack trace: bad settings, and
/// the exceptions by which the runtime, LibTorch and the file system say the input cannot work. Anything else is a
/// bug, and keeps its stack trace.
/// </summary>
internal static partial class CliErrors
{
    /// <summary>The line to print for <paramref name="exception"/>, or null when it is not a failure of the input.</summary>
    /// <param name="exception">What was thrown.</param>
    /// <param name="configuration">The settings as resolved so far, when they are; their explicit values are named where LibTorch failed.</param>
    public static string? Describe(Exception exception, CliConfiguration? configuration) => exception switch
    {
        CliException e => e.Message,
        CheckpointException e => CkptPathCall().Replace(CliMessages.OneLine(e.Message), "--ckpt-path $1"),
        NativeRuntimeException or DistributedException or TunerException => CliMessages.OneLine(exception.Message),
        // LibTorch's own message comes with its C++ frames after the first line; what the user set is the likely cause.
        ExternalException e => $"LibTorch failed: {e.Message.Split('\n', 2)[0].Trim()}{Given(configuration)}",
        IOException or UnauthorizedAccessException or InvalidDataException => CliMessages.OneLine(exception.Message),
        _ => null,
    };

    private static string Given(CliConfiguration? configuration) =>
        configuration?.GivenOptions() is { Count: > 0 } given ? $" (settings given: {string.Join(", ", given)})" : "";

    // The runtime's messages name the call, `Trainer.Test(ckptPath: "best")`; the user typed --ckpt-path best.
    [GeneratedRegex(@"Trainer\.\w+\(ckptPath: ""([^""]*)""\)")]
    private static partial Regex CkptPathCall();
}
