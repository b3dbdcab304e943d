namespace Hanlin.Retrieval.Lexical;

/// <summary>What an <see cref="IndexChange"/> does.</summary>
internal enum IndexChangeKind
{
    /// <summary>Replace a document's chunks.</summary>
    Replace,

    /// <summary>Remove a document's chunks.</summary>
    RemoveDocument,

    /// <summary>Remove a collection's chunks.</summary>
    RemoveCollection,

    /// <summary>Nothing to write; completes when everything queued before it is searchable.</summary>
    Barrier,
}
