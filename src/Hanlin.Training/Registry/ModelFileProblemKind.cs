namespace Hanlin.Training.Registry;

/// <summary>How a model directory differs from what was registered.</summary>
public enum ModelFileProblemKind
{
    /// <summary>The file exists but its size or SHA-256 differs.</summary>
    Mismatch,

    /// <summary>A registered file is gone.</summary>
    Missing,

    /// <summary>A file that was not registered has appeared.</summary>
    Extra,
}
