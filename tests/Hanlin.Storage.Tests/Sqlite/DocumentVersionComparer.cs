using Hanlin.Core.Documents;

namespace Hanlin.Storage.Tests.Sqlite;

/// <summary>Versions hold a list, which records compare by reference; this compares the list's items instead.</summary>
internal sealed class DocumentVersionComparer : IEqualityComparer<DocumentVersion>
{
    public static readonly DocumentVersionComparer Instance = new();

    public bool Equals(DocumentVersion? x, DocumentVersion? y) =>
        x is not null && y is not null
        && x with { PagesNeedingOcr = [] } == y with { PagesNeedingOcr = [] }
        && x.PagesNeedingOcr.SequenceEqual(y.PagesNeedingOcr);

    public int GetHashCode(DocumentVersion obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
}
