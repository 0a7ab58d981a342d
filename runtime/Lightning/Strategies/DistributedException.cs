namespace Lightning;

/// <summary>
/// Data-parallel training cannot go on: no MPI or NCCL library could be loaded, a collective failed, or one waited
/// longer than its timeout for another rank. The message names the rank, the operation and the fix.
/// </summary>
public sealed class DistributedException : Exception
{
    /// <summary>Creates the exception with the explanation the user sees.</summary>
    public DistributedException(string message) : base(message)
    {
    }
}
