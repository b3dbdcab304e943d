namespace Hanlin.Ingestion.Pipeline;

/// <summary>
/// A file to ingest: where its bytes are (<see cref="FilePath"/>) and the name it is known by in the
/// collection (<see cref="SourceName"/>, a relative path with '/' separators), which identifies the document
/// across re-ingests.
/// </summary>
public sealed record IngestionSource(string FilePath, string SourceName);
