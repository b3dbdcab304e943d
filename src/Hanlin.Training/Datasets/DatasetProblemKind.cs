namespace Hanlin.Training.Datasets;

/// <summary>Why a dataset line was refused; serialised in snake_case by the CLI, so names are stable.</summary>
public enum DatasetProblemKind
{
    /// <summary>The line is not a JSON object.</summary>
    MalformedJson,

    /// <summary>A required field is absent or has the wrong JSON type.</summary>
    MissingField,

    /// <summary>A role (chat) or <c>from</c> (sharegpt) that is not system/user/assistant or a known alias.</summary>
    UnknownRole,

    /// <summary>Turns do not follow: optional system first, then user and assistant alternating from a user turn.</summary>
    WrongRoleOrder,

    /// <summary>A turn whose content is empty or only whitespace.</summary>
    EmptyContent,

    /// <summary>A conversation with no assistant turn, so nothing to learn.</summary>
    NoAssistantTurn,

    /// <summary>A turn longer than the configured character or token limit.</summary>
    TurnTooLong,
}
