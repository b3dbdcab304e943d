namespace Hanlin.Training.Datasets;

/// <summary>Why <see cref="DatasetCleaner"/> removed an example; serialised in snake_case by the CLI.</summary>
public enum RemovalReason
{
    /// <summary>Same normalised text as an earlier example.</summary>
    ExactDuplicate,

    /// <summary>SimHash within the configured Hamming distance of an earlier example.</summary>
    NearDuplicate,

    /// <summary>A turn with no content left after normalisation.</summary>
    EmptyTurn,

    /// <summary>A turn over the configured character or token limit.</summary>
    TurnTooLong,
}
