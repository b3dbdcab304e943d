using Hanlin.Ingestion.Dedup;

namespace Hanlin.Training.Datasets;

/// <summary>What <see cref="DatasetCleaner"/> removes.</summary>
public sealed record CleaningOptions
{
    /// <summary>Remove examples whose normalised text equals an earlier one's.</summary>
    public bool RemoveExactDuplicates { get; init; } = true;

    /// <summary>Remove examples whose SimHash is within <see cref="NearDuplicateDistance"/> bits of an earlier one's.</summary>
    public bool RemoveNearDuplicates { get; init; } = true;

    /// <summary>
    /// Largest Hamming distance between 64-bit SimHashes that counts as a near duplicate, 0 to
    /// <see cref="NearDuplicateIndex.MaxSupportedDistance"/>. 3 is the threshold ingestion uses for chunks.
    /// </summary>
    public int NearDuplicateDistance { get; init; } = 3;

    /// <summary>
    /// Examples with fewer SimHash features (tokens) than this are only checked for exact duplicates: the SimHash of
    /// a few words is too coarse, and two short questions that differ in one number would collide.
    /// </summary>
    public int NearDuplicateMinimumTokens { get; init; } = 8;

    /// <summary>Longest allowed turn in characters (Unicode scalar values); null for no limit.</summary>
    public int? MaxTurnCharacters { get; init; }

    /// <summary>Longest allowed turn in tokens of <see cref="TokenCounter"/>; null for no limit.</summary>
    public int? MaxTurnTokens { get; init; }

    /// <summary>Counts tokens for <see cref="MaxTurnTokens"/>; null uses <see cref="Cl100kTokenCounter"/>.</summary>
    public ITokenCounter? TokenCounter { get; init; }
}
