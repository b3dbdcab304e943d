namespace Hanlin.Ingestion.Chunking;

/// <summary>A character range [Start, Start + Length) of a string.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    /// <summary>Exclusive end offset.</summary>
    public int End => Start + Length;
}
