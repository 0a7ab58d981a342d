using System.Diagnostics;
using System.Globalization;

namespace StartupProbe;

/// <summary>Prints, for each phase, the seconds from process start to its end: <c>phase NAME SECONDS</c>.</summary>
internal static class Phases
{
    private static readonly DateTime ProcessStart = Process.GetCurrentProcess().StartTime;

    public static void Mark(string name) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"phase {name} {(DateTime.Now - ProcessStart).TotalSeconds:0.000}"));
}
