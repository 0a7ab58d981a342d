using System.Buffers.Binary;
using System.Text;

namespace Lightning.Tests.Support;

/// <summary>
/// Reads TensorBoard event files without the runtime's code: TFRecord framing with every masked CRC-32C checked
/// (a table-driven CRC, not the runtime's), and the protobuf wire format decoded field by field.
/// </summary>
internal static class TensorBoardEventReader
{
    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(i =>
    {
        var c = (uint)i;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    public sealed record Value(string Tag, float? Simple, string? Plugin, byte[]? PluginContent);

    public sealed record Event(double WallTime, long Step, string? FileVersion, IReadOnlyList<Value> Values);

    public static List<Event> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        var at = 0;
        while (at < bytes.Length)
        {
            var length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at)));
            Assert.AreEqual(Masked(bytes.AsSpan(at, 8)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)), $"length CRC of the record at {at}");
            var data = bytes.AsSpan(at + 12, length);
            Assert.AreEqual(Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + length)), $"data CRC of the record at {at}");
            events.Add(ParseEvent(data.ToArray()));
            at += 12 + length + 4;
        }
        return events;
    }

    /// <summary>The fields of a message: number, and either the varint / fixed value (as raw bits) or the bytes.</summary>
    public static List<(int Field, ulong Number, byte[]? Bytes)> Fields(byte[] message)
    {
        var fields = new List<(int, ulong, byte[]?)>();
        var at = 0;
        while (at < message.Length)
        {
            var key = Varint(message, ref at);
            var field = (int)(key >> 3);
            switch (key & 7)
            {
                case 0: fields.Add((field, Varint(message, ref at), null)); break;
                case 1: fields.Add((field, BinaryPrimitives.ReadUInt64LittleEndian(message.AsSpan(at)), null)); at += 8; break;
                case 5: fields.Add((field, BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(at)), null)); at += 4; break;
                case 2:
                    var length = (int)Varint(message, ref at);
                    fields.Add((field, 0, message.AsSpan(at, length).ToArray()));
                    at += length;
                    break;
                default: throw new AssertFailedException($"wire type {key & 7} at {at}");
            }
        }
        return fields;
    }

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static Event ParseEvent(byte[] data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var values = new List<Value>();
        foreach (var (field, number, bytes) in Fields(data))
        {
            switch (field)
            {
                case 1: wallTime = BitConverter.UInt64BitsToDouble(number); break;
                case 2: step = (long)number; break;
                case 3: fileVersion = Text(bytes!); break;
                case 5: values.AddRange(Fields(bytes!).Where(f => f.Field == 1).Select(f => ParseValue(f.Bytes!))); break;
            }
        }
        return new Event(wallTime, step, fileVersion, values);
    }

    private static Value ParseValue(byte[] data)
    {
        var fields = Fields(data);
        var tag = Text(fields.Single(f => f.Field == 1).Bytes!);
        float? simple = fields.Any(f => f.Field == 2) ? BitConverter.UInt32BitsToSingle((uint)fields.Single(f => f.Field == 2).Number) : null;
        var pluginData = fields.Where(f => f.Field == 9).Select(f => Fields(Fields(f.Bytes!).Single(m => m.Field == 1).Bytes!)).SingleOrDefault();
        return new Value(tag, simple, pluginData is null ? null : Text(pluginData.Single(p => p.Field == 1).Bytes!),
            pluginData?.Single(p => p.Field == 2).Bytes);
    }

    private static ulong Varint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }

    private static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xff] ^ (crc >> 8);
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
