using System.Globalization;

namespace Lightning.Cli;

/// <summary>
/// Converts setting values between their text form (command line, config files, <c>--print-config</c>) and
/// their .NET types. Parsing throws <see cref="FormatException"/> with a message that says what is accepted.
/// </summary>
internal static class CliValue
{
    private static readonly string[] NullWords = ["null", "none", "~"];

    /// <summary>Whether values of <paramref name="type"/> can be given as text.</summary>
    public static bool IsSupported(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) return type.GetArrayRank() == 1 && !type.GetElementType()!.IsArray && IsSupported(type.GetElementType()!);
        return type.IsEnum || type == typeof(string) || type == typeof(bool) || type == typeof(int) || type == typeof(long)
            || type == typeof(float) || type == typeof(double) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(CountOrFraction) || type == typeof(FastDevRun) || type == typeof(DeviceSelection);
    }

    /// <summary>Whether the text spells "no value".</summary>
    public static bool IsNull(string? text) => text is null || NullWords.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="text"/> as a <paramref name="type"/>; <paramref name="allowsNull"/> says whether null is a value.</summary>
    public static object? Parse(string? text, Type type, bool allowsNull)
    {
        if (IsNull(text))
        {
            return allowsNull ? null : throw new FormatException($"a value is needed here ({Describe(type)}); null is not allowed.");
        }
        var value = text!.Trim();
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsArray)
        {
            var element = target.GetElementType()!;
            var parts = value.Trim('[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var array = Array.CreateInstance(element, parts.Length);
            for (var i = 0; i < parts.Length; i++) array.SetValue(Parse(parts[i], element, false), i);
            return array;
        }
        return target switch
        {
            _ when target == typeof(string) => value,
            _ when target == typeof(bool) => ParseBool(value),
            _ when target == typeof(int) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw Expected(value, "a whole number"),
            _ when target == typeof(long) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : throw Expected(value, "a whole number"),
            _ when target == typeof(float) => float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? Finite(f, value, "a 32-bit float holds at most 3.4e38") : throw Expected(value, "a number"),
            _ when target == typeof(double) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? Finite(d, value, "a double holds at most 1.8e308") : throw Expected(value, "a number"),
            _ when target == typeof(decimal) => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) ? m : throw Expected(value, "a number"),
            _ when target == typeof(TimeSpan) => ParseDuration(value),
            _ when target == typeof(CountOrFraction) => CountOrFraction.Parse(value),
            _ when target == typeof(FastDevRun) => FastDevRun.Parse(value),
            _ when target == typeof(DeviceSelection) => DeviceSelection.Parse(value),
            _ when target.IsEnum => ParseEnum(value, target),
            _ => throw new NotSupportedException($"{target.Name} values cannot be given as text."),
        };
    }

    /// <summary>The text form of a value, which <see cref="Parse"/> reads back; null for null.</summary>
    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        Enum e => CliNames.Kebab(e.ToString()),
        Array array => string.Join(",", array.Cast<object?>().Select(Format)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>A short description of what <paramref name="type"/> accepts, for help text.</summary>
    public static string Describe(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsArray) return $"comma-separated {Describe(target.GetElementType()!)}s";
        return target switch
        {
            _ when target == typeof(bool) => "true|false",
            _ when target == typeof(int) || target == typeof(long) => "int",
            _ when target == typeof(float) || target == typeof(double) || target == typeof(decimal) => "number",
            _ when target == typeof(TimeSpan) => "duration: DD:HH:MM:SS or hh:mm:ss",
            _ when target == typeof(CountOrFraction) => "batch count or fraction",
            _ when target == typeof(FastDevRun) => "true|false|batches",
            _ when target == typeof(DeviceSelection) => "auto|count|-1|i,j",
            _ when target.IsEnum => string.Join("|", Enum.GetNames(target).Select(CliNames.Kebab)),
            _ => "text",
        };
    }

    /// <summary>The text as a boolean (<c>true</c>, <c>yes</c>, <c>on</c>, <c>1</c> and their opposites), or null when it is not one.</summary>
    public static bool? AsBool(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "on" or "1" => true,
        "false" or "no" or "off" or "0" => false,
        _ => null,
    };

    private static bool ParseBool(string value) => AsBool(value) ?? throw Expected(value, "true or false");

    // Lightning spells durations DD:HH:MM:SS; .NET's [d.]hh:mm:ss is accepted too.
    private static TimeSpan ParseDuration(string value)
    {
        var parts = value.Split(':');
        if (parts.Length == 4 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var n = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            return new TimeSpan(n[0], n[1], n[2], n[3]);
        }
        return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span)
            ? span
            : throw Expected(value, "a duration such as 00:12:00:00 (DD:HH:MM:SS) or 12:00:00");
    }

    private static object ParseEnum(string value, Type target)
    {
        var wanted = CliNames.Normalize(value);
        foreach (var name in Enum.GetNames(target))
            if (CliNames.Normalize(name) == wanted) return Enum.Parse(target, name);
        throw Expected(value, "one of " + string.Join(", ", Enum.GetNames(target).Select(CliNames.Kebab)));
    }

    // .NET parses a number too large for the type as infinity; only "inf" (or "infinity") asks for that.
    private static T Finite<T>(T number, string text, string limit) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        if (!T.IsInfinity(number) || text.TrimStart('+', '-').StartsWith("inf", StringComparison.OrdinalIgnoreCase)) return number;
        throw new OverflowException($"'{text}' is out of range: {limit}.");
    }

    private static FormatException Expected(string value, string what) => new($"'{value}' is not {what}.");
}
