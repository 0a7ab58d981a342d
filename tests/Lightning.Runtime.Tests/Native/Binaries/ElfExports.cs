using System.Buffers.Binary;

namespace Lightning.Tests.Native.Binaries;

/// <summary>The names a 64-bit ELF shared library (Linux) exports: the defined, global or weak, visible symbols of its <c>.dynsym</c>.</summary>
internal static class ElfExports
{
    private const uint DynamicSymbols = 11; // SHT_DYNSYM

    /// <summary>Reads them from <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not a 64-bit little-endian ELF file.</exception>
    public static IReadOnlySet<string> Read(string path)
    {
        using var file = new BinaryFile(path);
        var ident = file.Bytes(0, 6);
        if (ident[0] != 0x7F || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F' || ident[4] != 2 || ident[5] != 1)
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
        var sectionTable = (long)file.UInt64(0x28);
        var entrySize = file.UInt16(0x3A);
        var sectionCount = file.UInt16(0x3C);
        long Section(int index) => sectionTable + (long)index * entrySize;
        for (var i = 0; i < sectionCount; i++)
        {
            if (file.UInt32(Section(i) + 4) != DynamicSymbols) continue;
            var symbols = file.Bytes((long)file.UInt64(Section(i) + 0x18), (long)file.UInt64(Section(i) + 0x20));
            var strings = Section((int)file.UInt32(Section(i) + 0x28));
            var names = file.Bytes((long)file.UInt64(strings + 0x18), (long)file.UInt64(strings + 0x20));
            var exports = new HashSet<string>(StringComparer.Ordinal);
            // Elf64_Sym: name (4), info (1), other (1), section index (2), value (8), size (8).
            for (var at = 0; at + 24 <= symbols.Length; at += 24)
            {
                var binding = symbols[at + 4] >> 4;
                var visibility = symbols[at + 5] & 3;
                var defined = BinaryPrimitives.ReadUInt16LittleEndian(symbols.AsSpan(at + 6)) != 0;
                if (defined && binding is 1 or 2 && visibility is 0 or 3)
                    exports.Add(BinaryFile.CString(names, (int)BinaryPrimitives.ReadUInt32LittleEndian(symbols.AsSpan(at))));
            }
            return exports;
        }
        throw new InvalidDataException($"{path} has no dynamic symbol table.");
    }
}
