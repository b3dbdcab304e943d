namespace Hanlin.Core.Ingestion;

/// <summary>What happened to one file of an ingestion job.</summary>
public enum FileOutcome
{
    /// <summary>Stored as a new document or a new version of an existing one.</summary>
    Ingested,

    /// <summary>Same source and same bytes as the current version: nothing to do.</summary>
    Unchanged,

    /// <summary>Same normalised text as another document of the collection: not stored twice.</summary>
    Duplicate,

    Failed,
}
