using System.Collections;

namespace Hanlin.Rag.Text;

/// <summary>
/// An immutable set of terms held as one ordinally sorted array. It takes about a third of a
/// <see cref="HashSet{T}"/>'s memory, which is what bounds how many analysed chunks the analysis cache can keep;
/// a lookup is a binary search over a sentence's or a chunk's few dozen terms, after a one-word signature check
/// that turns away most terms the set lacks (most question terms are absent from most sentences).
/// </summary>
internal sealed class TermSet : IReadOnlySet<string>
{
    private readonly string[] _terms;

    // Bit Signature(t) is set for every term t held: a clear bit proves absence.
    private readonly ulong _signature;

    private TermSet(string[] sortedDistinct)
    {
        _terms = sortedDistinct;
        foreach (var term in sortedDistinct)
        {
            _signature |= Signature(term);
        }
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
    public bool Contains(string item)
    {
        if (item is null || (_signature & Signature(item)) == 0)
        {
            return false;
        }

        int low = 0, high = _terms.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var order = string.CompareOrdinal(_terms[middle], item);
            if (order == 0)
            {
                return true;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return false;
    }

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

    // One of 64 bits from the term's length and end characters: cheap, and fixed across processes, unlike string hashes.
    private static ulong Signature(string term) =>
        term.Length == 0 ? 1UL : 1UL << (int)(((uint)term.Length * 7 + term[0] * 31u + term[^1]) & 63);

    private static IReadOnlySet<string> AsSet(IEnumerable<string> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other as IReadOnlySet<string> ?? other.ToHashSet(StringComparer.Ordinal);
    }
}
