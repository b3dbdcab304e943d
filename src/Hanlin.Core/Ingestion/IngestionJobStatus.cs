namespace Hanlin.Core.Ingestion;

/// <summary>Lifecycle of an ingestion job.</summary>
public enum IngestionJobStatus
{
    Running,

    /// <summary>Every file succeeded (ingested, unchanged or duplicate).</summary>
    Succeeded,

    /// <summary>Finished, but at least one file failed.</summary>
    PartiallyFailed,

    /// <summary>Finished and every file failed, or the job itself broke.</summary>
    Failed,

    Cancelled,

    /// <summary>The process died while the job ran; found and marked on the next start.</summary>
    Interrupted,
}
