namespace Hanlin.Ingestion.Extraction;

/// <summary>Limits that protect the process from hostile or broken files.</summary>
public sealed record ExtractionLimits
{
    /// <summary>Largest file accepted at all, in bytes (default 256 MiB).</summary>
    public long MaxFileBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Largest total uncompressed size of an Office (zip) package, in bytes (default 512 MiB).</summary>
    public long MaxUncompressedBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Most entries an Office (zip) package may hold (default 10,000).</summary>
    public int MaxArchiveEntries { get; init; } = 10_000;

    /// <summary>Highest uncompressed/compressed ratio of any single entry or the whole package (default 200).</summary>
    public double MaxCompressionRatio { get; init; } = 200;

    /// <summary>Most pages read from a PDF (default 10,000).</summary>
    public int MaxPages { get; init; } = 10_000;

    /// <summary>A fresh instance with the defaults (configuration binding sets init-only properties, so never share one).</summary>
    public static ExtractionLimits Default => new();
}
