using Hanlin.Core.Ingestion;

namespace Hanlin.Ingestion.Pipeline;

/// <summary>The files found for an ingest request, and the entries that could not even be listed or named.</summary>
public sealed record SourceSet(IReadOnlyList<IngestionSource> Sources, IReadOnlyList<FileResult> Failures);
