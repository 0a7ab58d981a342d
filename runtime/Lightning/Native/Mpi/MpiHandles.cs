using System.Runtime.InteropServices;

namespace Lightning.Native;

/// <summary>
/// The predefined handles of one MPI implementation's ABI. The MPI standard fixes their names, not their values:
/// Open MPI's are the addresses of exported globals (<c>MPI_COMM_WORLD</c> is <c>&amp;ompi_mpi_comm_world</c>), MPICH's
/// (and its derivatives': Intel MPI, MVAPICH, MS-MPI) are integer constants. Every handle is carried as a pointer-sized
/// integer; where the C type is <c>int</c> the callee reads the low half of the register or stack slot it is passed in.
/// </summary>
/// <param name="Implementation">The implementation's name, for messages.</param>
/// <param name="CommWorld"><c>MPI_COMM_WORLD</c>.</param>
/// <param name="CommSelf"><c>MPI_COMM_SELF</c>.</param>
/// <param name="InfoNull"><c>MPI_INFO_NULL</c>.</param>
/// <param name="ErrorsReturn"><c>MPI_ERRORS_RETURN</c>.</param>
/// <param name="Float"><c>MPI_FLOAT</c>.</param>
/// <param name="Double"><c>MPI_DOUBLE</c>.</param>
/// <param name="Int"><c>MPI_INT</c>.</param>
/// <param name="LongLong"><c>MPI_LONG_LONG</c>.</param>
/// <param name="Byte"><c>MPI_BYTE</c>.</param>
/// <param name="Sum"><c>MPI_SUM</c>.</param>
/// <param name="Max"><c>MPI_MAX</c>.</param>
/// <param name="Min"><c>MPI_MIN</c>.</param>
/// <param name="InPlace"><c>MPI_IN_PLACE</c>.</param>
/// <param name="StatusIgnore"><c>MPI_STATUS_IGNORE</c>.</param>
internal sealed record MpiHandles(
    string Implementation, nint CommWorld, nint CommSelf, nint InfoNull, nint ErrorsReturn, nint Float, nint Double, nint Int, nint LongLong, nint Byte,
    nint Sum, nint Max, nint Min, nint InPlace, nint StatusIgnore)
{
    /// <summary>Open MPI's handles, the addresses of the globals <paramref name="library"/> exports.</summary>
    public static MpiHandles OpenMpi(nint library)
    {
        nint Global(string name) => NativeLibrary.GetExport(library, name);
        return new MpiHandles("Open MPI", Global("ompi_mpi_comm_world"), Global("ompi_mpi_comm_self"),
            Global("ompi_mpi_info_null"), Global("ompi_mpi_errors_return"), Global("ompi_mpi_float"), Global("ompi_mpi_double"),
            Global("ompi_mpi_int"), Global("ompi_mpi_long_long_int"), Global("ompi_mpi_byte"),
            Global("ompi_mpi_op_sum"), Global("ompi_mpi_op_max"), Global("ompi_mpi_op_min"), InPlace: 1, StatusIgnore: 0);
    }

    /// <summary>The constants of MPICH's ABI, which Intel MPI, MVAPICH and MS-MPI share.</summary>
    public static MpiHandles Mpich { get; } = new("MPICH", CommWorld: 0x44000000, CommSelf: 0x44000001,
        InfoNull: 0x1c000000, ErrorsReturn: 0x54000001, Float: 0x4c00040a, Double: 0x4c00080b,
        Int: 0x4c000405, LongLong: 0x4c000809, Byte: 0x4c00010d, Sum: 0x58000003, Max: 0x58000001, Min: 0x58000002,
        InPlace: -1, StatusIgnore: 1);
}
