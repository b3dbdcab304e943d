using System.ComponentModel.DataAnnotations;
using Hanlin.Ingestion.Chunking;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Pipeline;

/// <summary>Settings of the ingestion pipeline, bound from the <c>Ingestion</c> configuration section.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    public ChunkingOptions Chunking { get; set; } = new();

    public ExtractionLimits Limits { get; set; } = new();

    /// <summary>Drop chunks whose SimHash is within this Hamming distance of a stored chunk (0 disables).</summary>
    [Range(0, 3)]
    public int NearDuplicateMaxDistance { get; set; } = 3;
}
