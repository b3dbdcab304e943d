using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Cleaning;

/// <summary>
/// A cleaned block placed in the normalised document text at [Start, Start + Length).
/// <see cref="SectionPath"/> is the chain of enclosing headings (and format sections) joined by " > ".
/// For tables the text span holds the Markdown rendering and <see cref="Table"/> the cleaned cells.
/// </summary>
public sealed record NormalizedBlock(
    BlockKind Kind,
    int Start,
    int Length,
    int? Page,
    string SectionPath,
    int HeadingLevel = 0,
    TableBlock? Table = null)
{
    public int End => Start + Length;
}
