using Hanlin.Core.Ingestion;

namespace Hanlin.Ingestion.Pipeline;

/// <summary>A finished (or cancelled) ingestion job with its per-file results.</summary>
public sealed record IngestionJobResult(IngestionJob Job, IReadOnlyList<FileResult> Files, IngestionSummary Summary);
