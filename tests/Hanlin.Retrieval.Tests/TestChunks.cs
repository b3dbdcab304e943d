namespace Hanlin.Retrieval.Tests;

/// <summary>Builds indexed chunks for tests with sensible defaults.</summary>
internal static class TestChunks
{
    public static readonly DateTimeOffset BaseTime = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IndexedChunk Make(
        string id,
        string text,
        string collection = "col_a",
        string? document = null,
        string? title = null,
        string section = "",
        IReadOnlyDictionary<string, string>? tags = null,
        DateTimeOffset? updatedAt = null) =>
        new(
            id,
            collection,
            document ?? "doc_" + id,
            (document ?? "doc_" + id) + ".md",
            title,
            section,
            text,
            1,
            1,
            tags ?? new Dictionary<string, string>(),
            updatedAt ?? BaseTime);
}
