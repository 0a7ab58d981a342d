using System.Text;
using Lightning.Text;

namespace Lightning.Cli;

/// <summary>How names appear on the command line (kebab case) and how config-file keys are matched to them.</summary>
internal static class CliNames
{
    /// <summary><c>MaxEpochs</c> and <c>maxEpochs</c> become <c>max-epochs</c>; <c>CheckValEveryNEpoch</c> becomes <c>check-val-every-n-epoch</c>.</summary>
    public static string Kebab(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                var previous = name[i - 1];
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower)) builder.Append('-');
            }
            builder.Append(c == '_' ? '-' : char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>
    /// The form keys are compared in, so that <c>max-epochs</c>, <c>max_epochs</c> (Lightning's spelling),
    /// <c>maxEpochs</c> and <c>MaxEpochs</c> all name the same setting.
    /// </summary>
    public static string Normalize(string key) => Spelling.Key(key);

    /// <summary>
    /// The arguments with option names typed in snake case, as Lightning users type them (<c>--trainer.max_epochs</c>,
    /// <c>--trainer.max_epochs=3</c>), written in the kebab case the parser knows; anything else is left as it is.
    /// </summary>
    public static string[] WithKebabOptions(IEnumerable<string> args, IReadOnlySet<string> options) =>
        args.Select(arg =>
        {
            if (!arg.StartsWith("--", StringComparison.Ordinal) || !arg.Contains('_', StringComparison.Ordinal)) return arg;
            var end = arg.IndexOfAny(['=', ':']);
            var name = end < 0 ? arg : arg[..end];
            var kebab = name.Replace('_', '-');
            return options.Contains(kebab) ? kebab + arg[name.Length..] : arg;
        }).ToArray();
}
