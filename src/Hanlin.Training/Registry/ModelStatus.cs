namespace Hanlin.Training.Registry;

/// <summary>Lifecycle of a registered model version; stored as snake_case text.</summary>
public enum ModelStatus
{
    /// <summary>Recorded, not served by default.</summary>
    Registered,

    /// <summary>The version served for its name; at most one per name.</summary>
    Promoted,

    /// <summary>Rolled back from or retired; never chosen by name, still loadable by id.</summary>
    Archived,
}
