using System.Collections;
using System.Globalization;

namespace Lightning;

/// <summary>Writes hyperparameter values as YAML scalars and flow collections (enough for <c>hparams.yaml</c>).</summary>
internal static class Yaml
{
    public static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => Quote(s),
        Enum e => Quote(e.ToString()),
        IFormattable f when value.GetType().IsPrimitive || value is decimal => f.ToString(null, CultureInfo.InvariantCulture),
        IDictionary d => "{" + string.Join(", ", d.Cast<DictionaryEntry>().Select(e => $"{Quote(e.Key.ToString()!)}: {Scalar(e.Value)}")) + "}",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Scalar)) + "]",
        _ => Quote(value.ToString() ?? ""),
    };

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '/') && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && s is not ("true" or "false" or "null" or "yes" or "no")
            ? s
            : "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
}
