using System.Text.Json;
using Hanlin.Core.Collections;
using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Core.Ingestion;
using Microsoft.Data.Sqlite;

namespace Hanlin.Storage.Sqlite;

/// <summary>
/// Column lists and the matching row readers. Each <c>*Columns</c> constant and its <c>Read*</c> method
/// must list the same columns in the same order.
/// </summary>
internal static class SqliteRows
{
    public const string CollectionColumns = """
        c.id, c.name, c.description, c.created_at,
        (SELECT COUNT(*) FROM documents d WHERE d.collection_id = c.id),
        (SELECT COALESCE(SUM(d.chunk_count), 0) FROM documents d WHERE d.collection_id = c.id)
        """;

    public const string CollectionIdentityColumns = "c.id, c.name, c.description, c.created_at";

    public const string DocumentColumns = """
        d.id, d.collection_id, d.source_name, d.media_type, d.size_bytes, d.sha256, d.version, d.current_version_id,
        d.status, d.chunk_count, d.page_count, d.title, d.last_error_code, d.last_error_message, d.created_at, d.updated_at
        """;

    public const string VersionColumns = """
        v.id, v.document_id, v.version, v.media_type, v.size_bytes, v.sha256, v.text_sha256, v.text_length,
        v.page_count, v.pages_needing_ocr, v.chunk_count, v.created_at
        """;

    /// <summary>Number of columns in <see cref="ChunkColumns"/>.</summary>
    public const int ChunkColumnCount = 14;

    public const string ChunkColumns = """
        k.id, k.document_id, k.version_id, k.ordinal, k.text, k.section_path, k.page_start, k.page_end,
        k.char_start, k.char_end, k.token_count, k.content_hash, k.simhash, k.kind
        """;

    public const string JobColumns = """
        j.id, j.collection_id, j.status, j.total_files, j.done_files, j.total_bytes, j.done_bytes, j.current_file,
        j.created_at, j.finished_at
        """;

    public const string FileResultColumns = """
        r.path, r.outcome, r.document_id, r.version, r.media_type, r.size_bytes, r.chunks, r.dropped_chunks,
        r.pages_needing_ocr, r.error_code, r.error_message
        """;

    public static Collection ReadCollection(SqliteDataReader r) => ReadCollectionIdentity(r) with
    {
        DocumentCount = r.GetInt32(4),
        ChunkCount = r.GetInt64(5),
    };

    public static Collection ReadCollectionIdentity(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        NullableString(r, 2),
        Time(r.GetInt64(3)));

    public static Document ReadDocument(SqliteDataReader r) => ReadDocument(r, 0);

    /// <summary>Reads <see cref="DocumentColumns"/> starting at column <paramref name="first"/> (after another table's columns in a join).</summary>
    public static Document ReadDocument(SqliteDataReader r, int first) => new(
        r.GetString(first + 0),
        r.GetString(first + 1),
        r.GetString(first + 2),
        r.GetString(first + 3),
        r.GetInt64(first + 4),
        r.GetString(first + 5),
        r.GetInt32(first + 6),
        r.GetString(first + 7),
        SqliteEnumText.ToDocumentStatus(r.GetString(first + 8)),
        r.GetInt32(first + 9),
        NullableInt(r, first + 10),
        NullableString(r, first + 11),
        NullableString(r, first + 12),
        NullableString(r, first + 13),
        Time(r.GetInt64(first + 14)),
        Time(r.GetInt64(first + 15)));

    public static DocumentVersion ReadVersion(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetInt32(2),
        r.GetString(3),
        r.GetInt64(4),
        r.GetString(5),
        r.GetString(6),
        r.GetInt32(7),
        NullableInt(r, 8),
        PagesFromJson(r.GetString(9)),
        r.GetInt32(10),
        Time(r.GetInt64(11)));

    public static Chunk ReadChunk(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetInt32(3),
        r.GetString(4),
        r.GetString(5),
        NullableInt(r, 6),
        NullableInt(r, 7),
        r.GetInt32(8),
        r.GetInt32(9),
        r.GetInt32(10),
        r.GetString(11),
        unchecked((ulong)r.GetInt64(12)),
        SqliteEnumText.ToChunkKind(r.GetString(13)));

    public static IngestionJob ReadJob(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        SqliteEnumText.ToJobStatus(r.GetString(2)),
        r.GetInt32(3),
        r.GetInt32(4),
        r.GetInt64(5),
        r.GetInt64(6),
        NullableString(r, 7),
        Time(r.GetInt64(8)),
        r.IsDBNull(9) ? null : Time(r.GetInt64(9)));

    public static FileResult ReadFileResult(SqliteDataReader r) => new(
        r.GetString(0),
        SqliteEnumText.ToFileOutcome(r.GetString(1)),
        NullableString(r, 2),
        NullableInt(r, 3),
        NullableString(r, 4),
        r.GetInt64(5),
        r.GetInt32(6),
        DroppedFromJson(r.GetString(7)),
        PagesFromJson(r.GetString(8)),
        NullableString(r, 9),
        NullableString(r, 10));

    /// <summary>Timestamps are stored as unix epoch milliseconds, UTC.</summary>
    public static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    public static string PagesToJson(IReadOnlyList<int> pages) => JsonSerializer.Serialize(pages, StorageJsonContext.Default.IReadOnlyListInt32);

    public static string DroppedToJson(IReadOnlyList<DroppedChunk> dropped) => JsonSerializer.Serialize(dropped, StorageJsonContext.Default.IReadOnlyListDroppedChunk);

    private static List<int> PagesFromJson(string json) => FromJson(json, StorageJsonContext.Default.ListInt32);

    private static List<DroppedChunk> DroppedFromJson(string json) => FromJson(json, StorageJsonContext.Default.ListDroppedChunk);

    private static List<T> FromJson<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(json, typeInfo) ?? [];
        }
        catch (JsonException ex)
        {
            throw new HanlinException(ErrorCodes.StorageCorrupt, $"A JSON column in the database is damaged: {ex.Message}", ex);
        }
    }

    private static string? NullableString(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static int? NullableInt(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetInt32(ordinal);
}
