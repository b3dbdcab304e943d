// This file is compiled twice: into Hanlin.Models (runtime fallback, HANLIN_MODELS defined) and by
// MSBuild's RoslynCodeTaskFactory as the build-time patch task (see build/TorchSharpNative.targets),
// so the ELF logic exists once. The task build compiles against netstandard2.0 reference assemblies:
// hence byte arrays instead of spans, hand-rolled little-endian reads, and no newer BCL APIs.
#nullable enable
#if !HANLIN_MODELS
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
#endif
using System.Text;

namespace Hanlin.Models.Runtime;

/// <summary>
/// Reads and edits the GNU symbol-versioning sections of little-endian ELF64 shared objects.
/// Hand-written because no ELF library is available from the package mirror, and the job is small:
/// walk the section headers, then the <c>.gnu.version_r</c> (Verneed/Vernaux) or <c>.gnu.version_d</c>
/// (Verdef/Verdaux) chains, resolving names through the linked string table (<c>.dynstr</c>).
/// </summary>
/// <remarks>
/// Why: TorchSharp 0.107's <c>libLibTorchSharp.so</c> requires <c>GLIBCXX_3.4.32</c> for one symbol
/// (<c>std::ios_base_library_init</c>) that nothing relocates. Marking that requirement weak
/// (VER_FLG_WEAK) lets glibc load it against an older libstdc++ (Debian 12 has 3.4.30); when the version
/// exists the flag changes nothing.
/// </remarks>
internal static class ElfSymbolVersions
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;
    private const int Elf64HeaderSize = 64;
    private const int Elf64SectionHeaderSize = 64;

    /// <summary>The outcome of <see cref="MarkRequirementWeak"/>.</summary>
    public enum WeakRequirementOutcome
    {
        /// <summary>The requirement was found and its VER_FLG_WEAK bit set in the buffer.</summary>
        Patched,

        /// <summary>The requirement was already weak; nothing changed.</summary>
        AlreadyWeak,

        /// <summary>The library does not require that version at all; nothing changed.</summary>
        NotRequired,
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on the Vernaux entry requiring <paramref name="version"/> from
    /// <paramref name="library"/> (e.g. <c>libstdc++.so.6</c>, <c>GLIBCXX_3.4.32</c>), in place.
    /// </summary>
    /// <exception cref="InvalidDataException">The buffer is not a well-formed little-endian ELF64 file.</exception>
    public static WeakRequirementOutcome MarkRequirementWeak(byte[] elf, string library, string version)
    {
        var outcome = WeakRequirementOutcome.NotRequired;
        foreach (var section in Sections(elf, ShtGnuVerneed))
        {
            var strings = StringTable(elf, section.Link);
            long entry = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
                var need = Check(elf, entry, 16);
                var count = U16(elf, need + 2);
                var file = ReadString(elf, strings, U32(elf, need + 4));
                long aux = entry + U32(elf, need + 8);
                for (var j = 0; j < count; j++)
                {
                    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                    var vernaux = Check(elf, aux, 16);
                    var name = ReadString(elf, strings, U32(elf, vernaux + 8));
                    if (file == library && name == version)
                    {
                        var flags = U16(elf, vernaux + 4);
                        if ((flags & VerFlgWeak) != 0)
                        {
                            outcome = outcome == WeakRequirementOutcome.Patched ? outcome : WeakRequirementOutcome.AlreadyWeak;
                        }
                        else
                        {
                            WriteU16(elf, vernaux + 4, (ushort)(flags | VerFlgWeak));
                            outcome = WeakRequirementOutcome.Patched;
                        }
                    }

                    aux += U32(elf, vernaux + 12);
                }

                entry += U32(elf, need + 12);
            }
        }

        return outcome;
    }

    /// <summary>Lists the version requirements (<c>library</c>, <c>version</c>, weak) an ELF64 object declares.</summary>
    public static IReadOnlyList<(string Library, string Version, bool Weak)> ReadRequirements(byte[] elf)
    {
        var result = new List<(string, string, bool)>();
                foreach (var section in Sections(elf, ShtGnuVerneed))
        {
            var strings = StringTable(elf, section.Link);
            long entry = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                var need = Check(elf, entry, 16);
                var count = U16(elf, need + 2);
                var file = ReadString(elf, strings, U32(elf, need + 4));
                long aux = entry + U32(elf, need + 8);
                for (var j = 0; j < count; j++)
                {
                    var vernaux = Check(elf, aux, 16);
                    var name = ReadString(elf, strings, U32(elf, vernaux + 8));
                    var weak = (U16(elf, vernaux + 4) & VerFlgWeak) != 0;
                    result.Add((file, name, weak));
                    aux += U32(elf, vernaux + 12);
                }

                entry += U32(elf, need + 12);
            }
        }

        return result;
    }

    /// <summary>Lists the symbol versions an ELF64 object defines (its <c>.gnu.version_d</c>), e.g. <c>GLIBCXX_3.4.30</c>.</summary>
    public static IReadOnlyList<string> ReadDefinedVersions(byte[] elf)
    {
        var result = new List<string>();
                foreach (var section in Sections(elf, ShtGnuVerdef))
        {
            var strings = StringTable(elf, section.Link);
            long entry = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32.
                var def = Check(elf, entry, 20);
                if (U16(elf, def + 6) > 0)
                {
                    // The first Verdaux names the version itself; later ones name its parents.
                    long aux = entry + U32(elf, def + 12);
                    var verdaux = Check(elf, aux, 8);
                    result.Add(ReadString(elf, strings, U32(elf, verdaux)));
                }

                entry += U32(elf, def + 16);
            }
        }

        return result;
    }

    /// <summary>
    /// The libstdc++ this process would bind: the one already mapped (read from <c>/proc/self/maps</c>),
    /// else the first found in the usual multiarch library directories; null when none is found.
    /// </summary>
    public static string? FindSystemLibStdCxx()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var slash = line.IndexOf('/');
                // CA2249 wants string.Contains(string, StringComparison), which netstandard2.0 (the task build) lacks.
#pragma warning disable CA2249
                if (slash >= 0 && line.IndexOf("/libstdc++.so", StringComparison.Ordinal) >= 0)
#pragma warning restore CA2249
                {
                    return line.Substring(slash).Trim();
                }
            }
        }
        catch (IOException)
        {
            // Not Linux, or no procfs: fall through to the well-known directories.
        }
        catch (UnauthorizedAccessException)
        {
        }

        var directories = new[]
        {
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
            "/usr/lib64", "/lib64", "/usr/lib", "/lib",
        };
        return directories.Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
    }

    private static List<(long Offset, long Size, uint Link, uint Info)> Sections(byte[] elf, uint type)
    {
        if (elf.Length < Elf64HeaderSize || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("Not an ELF file (bad magic).");
        }

        // EI_CLASS 2 = ELF64, EI_DATA 1 = little-endian: the only layout the TorchSharp natives use.
        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("Only little-endian ELF64 files are supported.");
        }

        var sectionTable = (long)U64(elf, 0x28);
        var entrySize = U16(elf, 0x3A);
        var count = U16(elf, 0x3C);
        if (entrySize != Elf64SectionHeaderSize)
        {
            throw new InvalidDataException($"Unexpected ELF64 section header size {entrySize}.");
        }

        var found = new List<(long, long, uint, uint)>();
        for (var i = 0; i < count; i++)
        {
            var header = Check(elf, sectionTable + ((long)i * entrySize), entrySize);
            if (U32(elf, header + 4) != type)
            {
                continue;
            }

            found.Add((
                (long)U64(elf, header + 24),
                (long)U64(elf, header + 32),
                U32(elf, header + 40),
                U32(elf, header + 44)));
        }

        return found;
    }

    private static (long Offset, long Size) StringTable(byte[] elf, uint sectionIndex)
    {
        var sectionTable = (long)U64(elf, 0x28);
        var header = Check(elf, sectionTable + ((long)sectionIndex * Elf64SectionHeaderSize), Elf64SectionHeaderSize);
        return ((long)U64(elf, header + 24), (long)U64(elf, header + 32));
    }

    private static string ReadString(byte[] elf, (long Offset, long Size) table, uint index)
    {
        if (index >= table.Size)
        {
            throw new InvalidDataException($"String index {index} is outside its string table.");
        }

        var start = Check(elf, table.Offset + index, 0);
        var length = (int)Math.Min(table.Size - index, elf.Length - start);
        var end = Array.IndexOf(elf, (byte)0, start, length);
        return Encoding.ASCII.GetString(elf, start, (end < 0 ? start + length : end) - start);
    }

    /// <summary>Bounds-checks a structure of <paramref name="length"/> bytes and returns its offset.</summary>
    private static int Check(byte[] elf, long offset, int length)
    {
        if (offset < 0 || length < 0 || offset + length > elf.Length)
        {
            throw new InvalidDataException($"ELF structure at offset {offset} runs past the end of the file.");
        }

        return (int)offset;
    }

    private static ushort U16(byte[] elf, long offset) => (ushort)(elf[offset] | (elf[offset + 1] << 8));

    private static uint U32(byte[] elf, long offset) => U16(elf, offset) | ((uint)U16(elf, offset + 2) << 16);

    private static ulong U64(byte[] elf, long offset) => U32(elf, offset) | ((ulong)U32(elf, offset + 4) << 32);

    private static void WriteU16(byte[] elf, long offset, ushort value)
    {
        elf[offset] = (byte)value;
        elf[offset + 1] = (byte)(value >> 8);
    }
}

#if !HANLIN_MODELS
/// <summary>MSBuild task: marks GLIBCXX_3.4.32 weak in copies of libLibTorchSharp.so when the build machine's libstdc++ lacks it.</summary>
public sealed class WeakenGlibcxxRequirement : Microsoft.Build.Utilities.Task
{
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = new Microsoft.Build.Framework.ITaskItem[0];

    public string Version { get; set; } = "GLIBCXX_3.4.32";

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || Files.Length == 0)
        {
            return true;
        }

        var libstdcxx = ElfSymbolVersions.FindSystemLibStdCxx();
        if (libstdcxx != null && ElfSymbolVersions.ReadDefinedVersions(File.ReadAllBytes(libstdcxx)).Contains(Version))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"{libstdcxx} defines {Version}; libLibTorchSharp.so left as is.");
            return true;
        }

        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            var bytes = File.ReadAllBytes(path);
            if (ElfSymbolVersions.MarkRequirementWeak(bytes, "libstdc++.so.6", Version) != ElfSymbolVersions.WeakRequirementOutcome.Patched)
            {
                continue;
            }

            // Write beside and rename so a hard link into the NuGet cache is replaced, never edited.
            var temporary = path + ".hanlin-tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Delete(path);
            File.Move(temporary, path);
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, $"Hanlin: marked {Version} weak in {path} (system libstdc++ is older).");
        }

        return true;
    }
}
#endif
