using System.Globalization;

namespace Lightning.Bench.Cli;

/// <summary>The command line of a case: a case name followed by <c>--name value</c> pairs.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values;

    private BenchArgs(string command, Dictionary<string, string> values)
    {
        Command = command;
        _values = values;
    }

    public string Command { get; }

    public static BenchArgs Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
            throw new ArgumentException("Name a case first: parity, memory, loading, startup, gpu or report (see bench/run.sh).");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Expected '--name value' pairs after the case name, but got '{args[i]}'.");
            values[args[i][2..]] = args[++i];
        }
        return new BenchArgs(args[0], values);
    }

    public string String(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"The {Command} case needs --{name}.");

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
