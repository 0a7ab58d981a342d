using System.Buffers.Binary;

namespace Lightning.Tests.Native.Binaries;

/// <summary>The names a 64-bit PE library (a Windows DLL) exports: the name table of its export directory.</summary>
internal static class PeExports
{
    /// <summary>Reads them from <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not a PE32+ file, or it exports nothing.</exception>
    public static IReadOnlySet<string> Read(string path)
    {
        using var file = new BinaryFile(path);
        if (file.UInt16(0) != 0x5A4D) throw new InvalidDataException($"{path} is not a PE file (no MZ header).");
        var pe = file.UInt32(0x3C);
        if (file.UInt32(pe) != 0x00004550) throw new InvalidDataException($"{path} is not a PE file (no PE signature).");
        var sectionCount = file.UInt16(pe + 6);
        var optional = pe + 24;
        if (file.UInt16(optional) != 0x20B) throw new InvalidDataException($"{path} is not a 64-bit (PE32+) image.");
        // Data directory 0 of a PE32+ optional header: the export table's address and size.
        var exportRva = file.UInt32(optional + 112);
        if (exportRva == 0) throw new InvalidDataException($"{path} exports nothing.");
        var sections = optional + file.UInt16(pe + 20);
        long Offset(uint rva)
        {
            for (var i = 0; i < sectionCount; i++)
            {
                var header = sections + i * 40L;
                var address = file.UInt32(header + 12);
                if (rva >= address && rva < address + Math.Max(file.UInt32(header + 8), file.UInt32(header + 16)))
                    return rva - address + file.UInt32(header + 20);
            }
            throw new InvalidDataException($"{path}: address {rva:x} lies in no section.");
        }
        // The directory, its tables and the names they point to lie in the export data, read in one piece.
        var export = file.Bytes(Offset(exportRva), file.UInt32(optional + 116));
        uint At(long rva) => BinaryPrimitives.ReadUInt32LittleEndian(export.AsSpan((int)(rva - exportRva)));
        var nameCount = At(exportRva + 24);
        var nameTable = At(exportRva + 32);
        var exports = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < nameCount; i++)
            exports.Add(BinaryFile.CString(export, (int)(At(nameTable + i * 4L) - exportRva)));
        return exports;
    }
}
