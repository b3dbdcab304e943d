namespace Hanlin.Core.Documents;

/// <summary>What a chunk mostly consists of.</summary>
public enum ChunkKind
{
    Paragraph,
    Table,
    List,
    Heading,
}
