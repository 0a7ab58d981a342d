using Google.Protobuf;

namespace Lightning.Logging.TensorBoard;

/// <summary>
/// A protocol-buffer message written field by field: TensorBoard's event files need only a handful of the fields
/// of <c>Event</c>, <c>Summary</c> and the hparams plugin's messages, so they are encoded here rather than generated.
/// </summary>
internal sealed class ProtoMessage
{
    private readonly MemoryStream _bytes = new();
    private readonly CodedOutputStream _output;

    public ProtoMessage() => _output = new CodedOutputStream(_bytes, leaveOpen: true);

    public ProtoMessage Double(int field, double value) => Field(field, WireFormat.WireType.Fixed64, o => o.WriteDouble(value));

    public ProtoMessage Float(int field, float value) => Field(field, WireFormat.WireType.Fixed32, o => o.WriteFloat(value));

    /// <summary>An <c>int32</c>, <c>int64</c> or enum field.</summary>
    public ProtoMessage Int64(int field, long value) => Field(field, WireFormat.WireType.Varint, o => o.WriteInt64(value));

    public ProtoMessage Bool(int field, bool value) => Field(field, WireFormat.WireType.Varint, o => o.WriteBool(value));

    public ProtoMessage String(int field, string value) => Field(field, WireFormat.WireType.LengthDelimited, o => o.WriteString(value));

    public ProtoMessage Bytes(int field, byte[] value) => Field(field, WireFormat.WireType.LengthDelimited, o => o.WriteBytes(ByteString.CopyFrom(value)));

    public ProtoMessage Message(int field, ProtoMessage value) => Bytes(field, value.ToArray());

    public byte[] ToArray()
    {
        _output.Flush();
        return _bytes.ToArray();
    }

    private ProtoMessage Field(int field, WireFormat.WireType type, Action<CodedOutputStream> write)
    {
        _output.WriteTag(field, type);
        write(_output);
        return this;
    }
}
