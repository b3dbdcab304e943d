namespace Hanlin.Server.Contracts;

/// <summary>Restrictions of a search or question: documents, tags that must all be present, and an inclusive date range.</summary>
public sealed record SearchFilters(
    IReadOnlyList<string>? DocumentIds,
    IReadOnlyDictionary<string, string>? Tags,
    DateTimeOffset? UpdatedFrom,
    DateTimeOffset? UpdatedTo);
