using System.Runtime.InteropServices;
using Lightning.Native;

namespace Lightning.Tests.Native;

/// <summary>Platforms to feed the native diagnosis, whichever one the tests run on.</summary>
internal static class TestPlatforms
{
    public static readonly NativePlatform LinuxX64 = new(OSPlatform.Linux, Architecture.X64, new Version(6, 1));
    public static readonly NativePlatform LinuxArm64 = new(OSPlatform.Linux, Architecture.Arm64, new Version(6, 1));
    public static readonly NativePlatform WindowsX64 = new(OSPlatform.Windows, Architecture.X64, new Version(10, 0, 26100));
    public static readonly NativePlatform WindowsArm64 = new(OSPlatform.Windows, Architecture.Arm64, new Version(10, 0, 26100));
    public static readonly NativePlatform MacOs15Arm64 = new(OSPlatform.OSX, Architecture.Arm64, new Version(15, 1));
    public static readonly NativePlatform MacOs14Arm64 = new(OSPlatform.OSX, Architecture.Arm64, new Version(14, 7));
    public static readonly NativePlatform MacOsX64 = new(OSPlatform.OSX, Architecture.X64, new Version(15, 1));

    /// <summary>The supported platform of runtime identifier <paramref name="rid"/>.</summary>
    public static NativePlatform Supported(string rid) => new[] { LinuxX64, WindowsX64, MacOs15Arm64 }.Single(p => p.Rid == rid);
}
