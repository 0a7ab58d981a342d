using System.Globalization;
using System.Text.RegularExpressions;

namespace Lightning;

/// <summary>
/// Lightning's checkpoint file-name templates: <c>{name}</c> or <c>{name:spec}</c> fields filled with metric
/// values, where <c>spec</c> is Python's format mini-language (<c>.2f</c>, <c>03d</c>, <c>.3e</c>, ...). With
/// <c>autoInsertMetricName</c>, each field becomes <c>name=value</c>: <c>{epoch}-{val_loss:.2f}</c> gives
/// <c>epoch=2-val_loss=0.12</c>. A metric not logged is 0, as in Lightning.
/// </summary>
internal static partial class CheckpointFilename
{
    /// <summary>Fills <paramref name="template"/> from <paramref name="metrics"/>; names in <paramref name="integers"/> are whole numbers.</summary>
    /// <exception cref="FormatException">A format specification Python would reject for the value, or one this does not support.</exception>
    public static string Format(string template, IReadOnlyDictionary<string, double> metrics, ISet<string> integers, bool autoInsertMetricName) =>
        FieldPattern().Replace(template, match =>
        {
            var name = match.Groups["name"].Value;
            var found = metrics.TryGetValue(name, out var value);
            var text = FormatValue(found ? value : 0, match.Groups["spec"].Value, isInteger: !found || integers.Contains(name), name);
            return autoInsertMetricName ? name + "=" + text : text;
        });

    /// <summary>
    /// A pattern matching every file name <see cref="Format"/> makes from <paramref name="template"/>, with an
    /// optional <c>-vN</c> and the <paramref name="extension"/>, whatever the metric values.
    /// </summary>
    public static Regex NamePattern(string template, bool autoInsertMetricName, string extension)
    {
        var pattern = new System.Text.StringBuilder("^");
        var at = 0;
        foreach (Match field in FieldPattern().Matches(template))
        {
            pattern.Append(Regex.Escape(template[at..field.Index]));
            if (autoInsertMetricName) pattern.Append(Regex.Escape(field.Groups["name"].Value + "="));
            pattern.Append(".*?");
            at = field.Index + field.Length;
        }
        pattern.Append(Regex.Escape(template[at..])).Append(@"(?:-v\d+)?").Append(Regex.Escape(extension)).Append('$');
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant);
    }

    private static string FormatValue(double value, string spec, bool isInteger, string name)
    {
        var parts = SpecPattern().Match(spec);
        if (!parts.Success)
            throw new FormatException($"The checkpoint file name's field {{{name}:{spec}}} has a format specification this runtime does not support; use forms such as .2f, 03d or .3e.");
        var type = parts.Groups["type"].Value;
        int? precision = parts.Groups["precision"].Success ? int.Parse(parts.Groups["precision"].Value, CultureInfo.InvariantCulture) : null;
        if (type == "d" && !isInteger)
            throw new FormatException($"The checkpoint file name's field {{{name}:{spec}}} formats '{name}', a decimal number, as an integer; use a spec such as .2f.");

        var negative = value < 0 || (value == 0 && double.IsNegative(value));
        var magnitude = Math.Abs(value);
        var digits = double.IsNaN(value) ? "nan" : double.IsInfinity(value) ? "inf" : type switch
        {
            "d" => magnitude.ToString("0", CultureInfo.InvariantCulture),
            "f" or "F" => magnitude.ToString("F" + (precision ?? 6), CultureInfo.InvariantCulture),
            "e" or "E" => Exponent(magnitude, precision ?? 6, type),
            "g" or "G" => General(magnitude, precision ?? 6, type),
            "%" => (magnitude * 100).ToString("F" + (precision ?? 6), CultureInfo.InvariantCulture) + "%",
            _ when isInteger && precision is null => magnitude.ToString("0", CultureInfo.InvariantCulture),
            _ when precision is { } p => General(magnitude, p, "g"),
            _ => Repr(magnitude, isInteger),
        };
        var sign = negative && !double.IsNaN(value) ? "-" : parts.Groups["sign"].Value switch { "+" => "+", " " => " ", _ => "" };
        var width = parts.Groups["width"].Success ? int.Parse(parts.Groups["width"].Value, CultureInfo.InvariantCulture) : 0;
        if (parts.Groups["zero"].Success) return sign + digits.PadLeft(Math.Max(0, width - sign.Length), '0');
        var text = sign + digits;
        var fill = parts.Groups["fill"].Success ? parts.Groups["fill"].Value[0] : ' ';
        return parts.Groups["align"].Value switch
        {
            "<" => text.PadRight(width, fill),
            "^" => text.PadLeft((width + text.Length) / 2, fill).PadRight(width, fill),
            _ => text.PadLeft(width, fill),
        };
    }

    // Python writes at least two exponent digits: 1.500000e-03.
    private static string Exponent(double value, int precision, string type)
    {
        var text = value.ToString((precision == 0 ? "0" : "0." + new string('0', precision)) + "e+00", CultureInfo.InvariantCulture);
        return type == "E" ? text.ToUpperInvariant() : text;
    }

    private static string General(double value, int precision, string type)
    {
        var p = Math.Max(1, precision);
        var exponent = value == 0 ? 0 : (int)Math.Floor(Math.Log10(value));
        var text = exponent < -4 || exponent >= p
            ? Exponent(value, p - 1, "e").Replace(".e", "e", StringComparison.Ordinal)
            : value.ToString("F" + Math.Max(0, p - 1 - exponent), CultureInfo.InvariantCulture);
        if (text.Contains('.', StringComparison.Ordinal))
        {
            var mantissaEnd = text.IndexOf('e', StringComparison.Ordinal) is var e and >= 0 ? e : text.Length;
            var mantissa = text[..mantissaEnd].TrimEnd('0').TrimEnd('.');
            text = mantissa + text[mantissaEnd..];
        }
        return type == "G" ? text.ToUpperInvariant() : text;
    }

    // Python's str() of a number: integers plainly, floats in the shortest form that reads back the same.
    private static string Repr(double value, bool isInteger)
    {
        if (isInteger) return value.ToString("0", CultureInfo.InvariantCulture);
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.Contains('E', StringComparison.Ordinal))
        {
            var e = text.IndexOf('E', StringComparison.Ordinal);
            var exponent = int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
            return text[..e] + (exponent < 0 ? "e-" : "e+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }
        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }

    [GeneratedRegex(@"\{(?<name>[^{}:]+)(?::(?<spec>[^{}]*))?\}")]
    private static partial Regex FieldPattern();

    [GeneratedRegex(@"^(?:(?<fill>.)?(?<align>[<>=^]))?(?<sign>[-+ ])?(?<zero>0)?(?<width>\d+)?(?:\.(?<precision>\d+))?(?<type>[dfFeEgG%])?$")]
    private static partial Regex SpecPattern();
}
