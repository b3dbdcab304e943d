namespace Hanlin.Ingestion.Pipeline;

/// <summary>A progress report of a running job: files and bytes done of the totals, and the file in work.</summary>
public sealed record IngestionProgress(int DoneFiles, int TotalFiles, long DoneBytes, long TotalBytes, string? CurrentFile);
