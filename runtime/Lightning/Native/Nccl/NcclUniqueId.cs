namespace Lightning.Native;

/// <summary>NCCL's <c>ncclUniqueId</c>: 128 opaque bytes that rank 0 makes and sends to the others (here over MPI).</summary>
internal unsafe struct NcclUniqueId
{
    /// <summary><c>NCCL_UNIQUE_ID_BYTES</c>.</summary>
    public const int Size = 128;

    /// <summary>The bytes, passed by value as the C struct is.</summary>
    public fixed byte Bytes[Size];
}
