using System.IO.Compression;

namespace SampleCorpus.Writers;

/// <summary>
/// Rewrites an OPC package (docx, xlsx) with a fixed timestamp on every entry, so that regenerating the
/// samples yields byte-identical files and git sees no change when the content did not change.
/// </summary>
internal static class ZipNormalizer
{
    // Zip stores local DOS time without a zone; any fixed value after 1980 works.
    private static readonly DateTimeOffset FixedTime = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static byte[] Normalize(byte[] package)
    {
        using var source = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = FixedTime;
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }

        return output.ToArray();
    }
}
