namespace Hanlin.Core.Identity;

/// <summary>
/// Creates identifiers of the form <c>prefix_hex32</c> from version-7 GUIDs: time-ordered (good B-tree
/// locality in SQLite and PostgreSQL alike), unique without coordination, and self-describing in logs.
/// </summary>
public static class HanlinId
{
    public const string CollectionPrefix = "col";
    public const string DocumentPrefix = "doc";
    public const string VersionPrefix = "ver";
    public const string ChunkPrefix = "chk";
    public const string JobPrefix = "job";

    public static string New(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        return string.Concat(prefix, "_", Guid.CreateVersion7().ToString("N"));
    }
}
