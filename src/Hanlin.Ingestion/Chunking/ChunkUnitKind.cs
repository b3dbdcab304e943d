namespace Hanlin.Ingestion.Chunking;

/// <summary>What a packing unit is, which decides where chunks may break and what overlaps.</summary>
internal enum ChunkUnitKind
{
    /// <summary>One or more heading lines; only ever the first unit of a chunk.</summary>
    Heading,

    /// <summary>A sentence of a paragraph (or a token-sized piece of an over-long one); may overlap.</summary>
    Sentence,

    /// <summary>A whole list that fits <see cref="ChunkingOptions.MaxTokens"/>; never split.</summary>
    List,

    /// <summary>One item (or piece of one) of a list too large to keep whole.</summary>
    ListItem,

    /// <summary>A whole table that fits <see cref="ChunkingOptions.MaxTokens"/>; never split.</summary>
    Table,
}
