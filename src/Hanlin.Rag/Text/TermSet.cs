using System.Collections;

namespace Hanlin.Rag.Text;

/// <summary>
/// An immutable set of terms held as one ordinally sorted array. It takes about a third of a
/// <see cref="HashSet{T}"/>'s memory, which is what bounds how many analysed chunks the analysis cache can keep;
/// a lookup is a binary search over a sentence's or a chunk's few dozen terms.
/// </summary>
internal sealed class TermSet : IReadOnlySet<string>
{
    private readonly string[] _terms;

    private TermSet(string[] sortedDistinct)
    {
        _terms = sortedDistinct;
    }

    /// <inheritdoc />
    public int Count => _terms.Length;

    /// <summary>The set of the distinct <paramref name="terms"/>.</summary>
    public static TermSet From(HashSet<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var array = new string[terms.Count];
        terms.CopyTo(array);
        Array.Sort(array, StringComparer.Ordinal);
        return new TermSet(array);
    }

    /// <inheritdoc />
    public bool Contains(string item) => item is not null && Array.BinarySearch(_terms, item, StringComparer.Ordinal) >= 0;

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_terms).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool IsSubsetOf(IEnumerable<string> other)
    {
        var set = AsSet(other);
        return _terms.All(set.Contains);
    }

    /// <inheritdoc />
    public bool IsProperSubsetOf(IEnumerable<string> other)
    {
        var set = AsSet(other);
        return set.Count > _terms.Length && _terms.All(set.Contains);
    }

    /// <inheritdoc />
    public bool IsSupersetOf(IEnumerable<string> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.All(Contains);
    }

    /// <inheritdoc />
    public bool IsProperSupersetOf(IEnumerable<string> other)
    {
        var set = AsSet(other);
        return set.Count < _terms.Length && set.All(Contains);
    }

    /// <inheritdoc />
    public bool Overlaps(IEnumerable<string> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Any(Contains);
    }

    /// <inheritdoc />
    public bool SetEquals(IEnumerable<string> other)
    {
        var set = AsSet(other);
        return set.Count == _terms.Length && _terms.All(set.Contains);
    }

    private static IReadOnlySet<string> AsSet(IEnumerable<string> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other as IReadOnlySet<string> ?? other.ToHashSet(StringComparer.Ordinal);
    }
}
