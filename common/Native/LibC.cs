using System.Runtime.InteropServices;

namespace Lightning.Native;

/// <summary>The C library functions the runtime calls on Linux and macOS (.NET resolves <c>libc</c> to the system's C library on both).</summary>
internal static class LibC
{
    /// <summary><c>open(2)</c>: a descriptor, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</summary>
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    /// <summary><c>fsync(2)</c>: 0, or -1 with the error set.</summary>
    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static extern int Fsync(int descriptor);

    /// <summary><c>close(2)</c>.</summary>
    [DllImport("libc", EntryPoint = "close")]
    public static extern int Close(int descriptor);

    /// <summary><c>mkdir(2)</c>: 0, or -1 with the error set.</summary>
    [DllImport("libc", EntryPoint = "mkdir", SetLastError = true)]
    public static extern int Mkdir([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    /// <summary><c>kill(2)</c>: sends <paramref name="signal"/> to process <paramref name="pid"/>.</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);

    /// <summary>
    /// <c>setenv(3)</c>: sets a variable in the C library's environment, which native code (cuBLAS) reads; .NET keeps
    /// its own copy on Linux and macOS, which <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes.
    /// </summary>
    [DllImport("libc", EntryPoint = "setenv")]
    public static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    /// <summary><c>unsetenv(3)</c>: removes a variable from the C library's environment (see <see cref="SetEnv"/>).</summary>
    [DllImport("libc", EntryPoint = "unsetenv")]
    public static extern int UnsetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
