using System.Text;

namespace Lightning.Tool.CodeEditing;

/// <summary>
/// A text file as it is on disk: its text, plus what writing it back must keep so that untouched bytes stay
/// identical: the encoding with or without its byte-order mark, and the line ending new lines should use.
/// </summary>
internal sealed class TextFile(string path, string text, Encoding encoding, string lineEnding)
{
    /// <summary>The full path.</summary>
    public string Path { get; } = path;

    /// <summary>The decoded text, without the byte-order mark.</summary>
    public string Text { get; } = text;

    /// <summary>The encoding; its preamble is the file's byte-order mark (empty when the file has none).</summary>
    public Encoding Encoding { get; } = encoding;

    /// <summary>The file's dominant line ending (<c>"\r\n"</c> or <c>"\n"</c>).</summary>
    public string LineEnding { get; } = lineEnding;

    /// <summary>Whether the file starts with a byte-order mark.</summary>
    public bool HasByteOrderMark => Encoding.GetPreamble().Length > 0;

    /// <summary>Reads a file, refusing one whose bytes would not survive decoding and encoding again unchanged.</summary>
    public static TextFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"Cannot read {path}: {e.Message}");
        }
        var encoding = DetectEncoding(bytes);
        var preamble = encoding.GetPreamble().Length;
        string text;
        try
        {
            text = encoding.GetString(bytes, preamble, bytes.Length - preamble);
        }
        catch (DecoderFallbackException)
        {
            throw new ToolException($"{path} is not valid UTF-8 or UTF-16 text, so it cannot be edited without changing bytes the tool did not mean to touch. Save it as UTF-8 and run again.");
        }
        return new TextFile(path, text, encoding, DetectLineEnding(text));
    }

    /// <summary>A new file to be written in the same style as <paramref name="style"/> (or UTF-8 without BOM and LF).</summary>
    public static TextFile Create(string path, TextFile? style) =>
        new(path, string.Empty, style?.Encoding ?? new UTF8Encoding(false, true), style?.LineEnding ?? "\n");

    /// <summary>The bytes of <paramref name="text"/> written as this file is written: same encoding, same byte-order mark.</summary>
    public byte[] Encode(string text) => [.. Encoding.GetPreamble(), .. Encoding.GetBytes(text)];

    /// <summary>Converts text with <c>\n</c> line endings to this file's line ending.</summary>
    public string WithLineEndings(string lfText) => LineEnding == "\n" ? lfText : lfText.Replace("\n", LineEnding, StringComparison.Ordinal);

    private static Encoding DetectEncoding(byte[] bytes)
    {
        if (bytes is [0xEF, 0xBB, 0xBF, ..]) return new UTF8Encoding(true, true);
        if (bytes is [0xFF, 0xFE, ..]) return new UnicodeEncoding(false, true, true);
        if (bytes is [0xFE, 0xFF, ..]) return new UnicodeEncoding(true, true, true);
        return new UTF8Encoding(false, true);
    }

    private static string DetectLineEnding(string text)
    {
        var crlf = 0;
        var lf = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            if (i > 0 && text[i - 1] == '\r') crlf++;
            else lf++;
        }
        return crlf > lf ? "\r\n" : "\n";
    }
}
