using System.Buffers.Binary;
using System.Net;
using System.Numerics;

namespace Lightning.Logging.TensorBoard;

/// <summary>
/// Writes one TensorBoard event file: TFRecord framing (length, masked CRC-32C of the length, the serialized
/// <c>Event</c>, masked CRC-32C of it) in a file named as TensorBoard's own writer names it,
/// <c>events.out.tfevents.&lt;unix seconds&gt;.&lt;host&gt;.&lt;pid&gt;.&lt;counter&gt;</c>; its first record is
/// the <c>brain.Event:2</c> file version. Records reach the file every <see cref="MaxQueue"/> records, as with
/// TensorBoard's writer, so a running TensorBoard shows a long epoch as it goes, and on <see cref="Flush"/>.
/// </summary>
internal sealed class EventFileWriter : IDisposable
{
    /// <summary>How many records wait in memory at most (TensorBoard's <c>max_queue</c>).</summary>
    public const int MaxQueue = 10;

    private static int s_counter;
    private readonly FileStream _file;
    private int _queued;

    public EventFileWriter(string logDir)
    {
        Directory.CreateDirectory(logDir);
        var now = UnixSeconds(DateTime.UtcNow);
        // The counter tells apart files this process opens within one second (a Test after a Fit, say).
        var name = $"events.out.tfevents.{(long)now:D10}.{Dns.GetHostName()}.{Environment.ProcessId}.{Interlocked.Increment(ref s_counter)}";
        Path = System.IO.Path.Combine(logDir, name);
        _file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        Write(TensorBoardEvents.FileVersion(now));
    }

    /// <summary>The event file's path.</summary>
    public string Path { get; }

    /// <summary>Seconds since the Unix epoch, with the clock's fraction, as TensorBoard's <c>wall_time</c> holds them.</summary>
    public static double UnixSeconds(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    /// <summary>Appends one serialized <c>Event</c> as a TFRecord.</summary>
    public void Write(byte[] serializedEvent)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)serializedEvent.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc32C(header[..8]));
        _file.Write(header);
        _file.Write(serializedEvent);
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc32C(serializedEvent));
        _file.Write(footer);
        if (++_queued >= MaxQueue) Flush();
    }

    public void Flush()
    {
        _file.Flush(flushToDisk: false);
        _queued = 0;
    }

    public void Dispose() => _file.Dispose();

    /// <summary>TFRecord's checksum: CRC-32C (Castagnoli), rotated and offset so a CRC of CRCs stays informative.</summary>
    internal static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        var whole = data.Length & ~7;
        for (var i = 0; i < whole; i += 8) crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        foreach (var b in data[whole..]) crc = BitOperations.Crc32C(crc, b);
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
