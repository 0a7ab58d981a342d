using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace Lightning.Tool.Datasets;

/// <summary>Writes command-line values as C# literals for generated constructors' default values.</summary>
internal static class CSharpLiteral
{
    /// <summary>The literal for <paramref name="value"/>: a quoted string, a number, <c>true</c>/<c>false</c>, a collection expression or <c>null</c>.</summary>
    public static string Of(object? value) => value switch
    {
        null => "null",
        string s => SymbolDisplay.FormatLiteral(s, quote: true),
        char c => SymbolDisplay.FormatLiteral(c, quote: true),
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture) is var text && (text.Contains('.') || text.Contains('E')) ? text : text + ".0",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable<string> items => "[" + string.Join(", ", items.Select(Of)) + "]",
        _ => throw new ArgumentException($"No C# literal for {value.GetType().Name}.", nameof(value)),
    };
}
