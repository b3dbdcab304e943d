namespace Hanlin.Ingestion.Extraction;

/// <summary>
/// One block of extracted content in reading order. <see cref="Text"/> is raw extracted text (cleaning
/// happens later); for a table it is empty and <see cref="Table"/> is set. <see cref="Page"/> is 1-based
/// (PDF page, PPTX slide), null where the format has no pages. <see cref="Section"/> is an extra section
/// label the format itself provides (an XLSX sheet name, "Notes" of a slide); headings build the rest.
/// </summary>
public sealed record DocumentBlock(
    BlockKind Kind,
    string Text,
    int? Page = null,
    int HeadingLevel = 0,
    TableBlock? Table = null,
    string? Section = null);
