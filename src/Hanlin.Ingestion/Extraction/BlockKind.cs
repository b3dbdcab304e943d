namespace Hanlin.Ingestion.Extraction;

/// <summary>Structural role of an extracted block.</summary>
public enum BlockKind
{
    /// <summary>A heading; <see cref="DocumentBlock.HeadingLevel"/> is 1 (top) to 6.</summary>
    Heading,
    Paragraph,

    /// <summary>One list item; consecutive items form a list.</summary>
    ListItem,

    /// <summary>A table; <see cref="DocumentBlock.Table"/> holds its cells.</summary>
    Table,
}
