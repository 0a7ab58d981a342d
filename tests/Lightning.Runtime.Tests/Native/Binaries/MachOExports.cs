using System.Buffers.Binary;

namespace Lightning.Tests.Native.Binaries;

/// <summary>
/// The names a 64-bit Mach-O library (macOS) exports: the external symbols its symbol table defines in a section, not
/// private to the linkage unit, without the leading underscore Mach-O adds (the name <c>dlsym</c> takes).
/// </summary>
internal static class MachOExports
{
    private const uint SymbolTableCommand = 0x2; // LC_SYMTAB

    /// <summary>Reads them from <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not a thin 64-bit little-endian Mach-O file, or it has no symbol table.</exception>
    public static IReadOnlySet<string> Read(string path)
    {
        using var file = new BinaryFile(path);
        if (file.UInt32(0) != 0xFEEDFACF) throw new InvalidDataException($"{path} is not a thin 64-bit little-endian Mach-O file.");
        var commandCount = file.UInt32(16);
        long command = 32;
        for (var i = 0; i < commandCount; i++, command += file.UInt32(command + 4))
        {
            if (file.UInt32(command) != SymbolTableCommand) continue;
            var symbols = file.Bytes(file.UInt32(command + 8), file.UInt32(command + 12) * 16L);
            var names = file.Bytes(file.UInt32(command + 16), file.UInt32(command + 20));
            var exports = new HashSet<string>(StringComparer.Ordinal);
            // nlist_64: name (4), type (1), section (1), description (2), value (8). Type: N_STAB 0xe0, N_PEXT 0x10, N_TYPE 0x0e (N_SECT 0xe), N_EXT 0x01.
            for (var at = 0; at + 16 <= symbols.Length; at += 16)
            {
                var type = symbols[at + 4];
                if ((type & 0xF1) != 0x01 || (type & 0x0E) != 0x0E) continue;
                var name = BinaryFile.CString(names, (int)BinaryPrimitives.ReadUInt32LittleEndian(symbols.AsSpan(at)));
                if (name.StartsWith('_')) exports.Add(name[1..]);
            }
            return exports;
        }
        throw new InvalidDataException($"{path} has no symbol table.");
    }
}
