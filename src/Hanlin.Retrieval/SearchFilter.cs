namespace Hanlin.Retrieval;

/// <summary>
/// Restricts a search. Each non-null criterion must hold (AND); within a list any value may match (OR),
/// except <see cref="Tags"/>, which must all be present. A null list means "no restriction" while an
/// empty list matches nothing, so an access-control hook that resolves to no collections returns no hits.
/// Dates are inclusive.
/// </summary>
public sealed record SearchFilter
{
    /// <summary>A filter that restricts nothing.</summary>
    public static SearchFilter None { get; } = new();

    /// <summary>Allowed collection ids, or null for all.</summary>
    public IReadOnlyList<string>? CollectionIds { get; init; }

    /// <summary>Allowed document ids, or null for all.</summary>
    public IReadOnlyList<string>? DocumentIds { get; init; }

    /// <summary>Tags (<c>key</c> → <c>value</c>) a chunk must all carry, or null.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>Earliest <see cref="IndexedChunk.UpdatedAt"/> allowed, inclusive.</summary>
    public DateTimeOffset? UpdatedFrom { get; init; }

    /// <summary>Latest <see cref="IndexedChunk.UpdatedAt"/> allowed, inclusive.</summary>
    public DateTimeOffset? UpdatedTo { get; init; }

    /// <summary>Whether the filter restricts nothing.</summary>
    public bool IsEmpty =>
        CollectionIds is null && DocumentIds is null && (Tags is null || Tags.Count == 0)
        && UpdatedFrom is null && UpdatedTo is null;

    /// <summary>
    /// The access-control hook: this filter narrowed to the collections in <paramref name="allowed"/> (ids). A filter
    /// naming no collections gets exactly those; one naming some keeps only the allowed ones, so nothing outside
    /// <paramref name="allowed"/> can match, and an empty <paramref name="allowed"/> matches nothing.
    /// </summary>
    public SearchFilter WithinCollections(IReadOnlyCollection<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var narrowed = CollectionIds is null
            ? allowed.Distinct(StringComparer.Ordinal).ToList()
            : CollectionIds.Where(id => allowed.Contains(id, StringComparer.Ordinal)).ToList();
        return this with { CollectionIds = narrowed };
    }

    /// <summary>Whether <paramref name="chunk"/> passes this filter; the same rule the indexes apply.</summary>
    public bool Matches(IndexedChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (CollectionIds is not null && !CollectionIds.Contains(chunk.CollectionId, StringComparer.Ordinal))
        {
            return false;
        }

        if (DocumentIds is not null && !DocumentIds.Contains(chunk.DocumentId, StringComparer.Ordinal))
        {
            return false;
        }

        if (Tags is not null)
        {
            foreach (var (key, value) in Tags)
            {
                if (!chunk.Tags.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return (UpdatedFrom is null || chunk.UpdatedAt >= UpdatedFrom) && (UpdatedTo is null || chunk.UpdatedAt <= UpdatedTo);
    }
}
