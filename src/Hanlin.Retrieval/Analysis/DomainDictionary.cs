using System.Collections.Frozen;
using System.Text;
using Hanlin.Core.Errors;

namespace Hanlin.Retrieval.Analysis;

/// <summary>
/// Whole terms (drug names, financial ratios, legal terms) that the analyzer emits as single tokens
/// in addition to CJK bigrams, so a query for 阿司匹林 scores documents containing the whole term above
/// documents that merely contain 阿司 and 匹林 apart. Terms are normalised like indexed text (NFKC,
/// lower case), and only terms of at least two characters count: single characters are bigram territory.
/// Immutable and thread-safe; build a new one to extend it.
/// </summary>
public sealed class DomainDictionary
{
    private readonly FrozenSet<string> _terms;

    // The first two chars of every term of three or more chars (high char << 16 | low char), mapped to the
    // longest such term's length: a position whose pair is absent starts no term the analyzer emits, which
    // spares the up to MaxLength - 1 hash probes per CJK character LongestMatchAt makes.
    private readonly FrozenDictionary<int, int> _longTermPrefixes;

    // Bit c set when some term of three or more chars starts with char c: most CJK characters start none, and
    // a bit test is far cheaper than the pair lookup above.
    private readonly ulong[] _longTermFirstChars = new ulong[(char.MaxValue + 1) / 64];

    private DomainDictionary(FrozenSet<string> terms)
    {
        _terms = terms;
        MaxLength = terms.Count == 0 ? 0 : terms.Max(t => t.Length);
        _longTermPrefixes = terms
            .Where(t => t.Length >= 3)
            .GroupBy(t => (t[0] << 16) | t[1])
            .ToFrozenDictionary(g => g.Key, g => g.Max(t => t.Length));
        foreach (var prefix in _longTermPrefixes.Keys)
        {
            var first = prefix >>> 16;
            _longTermFirstChars[first >> 6] |= 1UL << (first & 63);
        }
    }

    /// <summary>A dictionary with no terms: the analyzer then emits bigrams only.</summary>
    public static DomainDictionary Empty { get; } = new(FrozenSet<string>.Empty);

    /// <summary>Number of distinct terms.</summary>
    public int Count => _terms.Count;

    /// <summary>Length in UTF-16 code units of the longest term.</summary>
    public int MaxLength { get; }

    /// <summary>
    /// A small built-in list of medical, financial and legal terms shipped with Hanlin, so the default
    /// configuration already matches common domain words whole.
    /// </summary>
    public static DomainDictionary BuiltIn { get; } = LoadBuiltIn();

    /// <summary>Creates a dictionary from terms; blank entries are ignored.</summary>
    public static DomainDictionary FromTerms(IEnumerable<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            var normalised = Normalize(term);
            if (normalised.Length >= 2)
            {
                set.Add(normalised);
            }
        }

        return new DomainDictionary(set.ToFrozenSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// Loads a UTF-8 text file with one term per line; blank lines and lines starting with <c>#</c> are ignored.
    /// </summary>
    /// <exception cref="HanlinException">The file does not exist or cannot be read.</exception>
    public static DomainDictionary Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            return FromTerms(ReadTerms(File.ReadLines(path, Encoding.UTF8)));
        }
        catch (FileNotFoundException ex)
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"The domain dictionary '{path}' does not exist.", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"The domain dictionary '{path}' does not exist.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"The domain dictionary '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Returns a dictionary holding this one's terms plus <paramref name="other"/>'s.</summary>
    public DomainDictionary Union(DomainDictionary other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return FromTerms(_terms.Concat(other._terms));
    }

    /// <summary>Whether <paramref name="term"/> (already normalised) is a dictionary term.</summary>
    public bool Contains(ReadOnlySpan<char> term) =>
        _terms.GetAlternateLookup<ReadOnlySpan<char>>().Contains(term);

    /// <summary>
    /// The length of the longest dictionary term that starts at <paramref name="start"/> in
    /// <paramref name="text"/>, or 0 when none does.
    /// </summary>
    public int LongestMatchAt(ReadOnlySpan<char> text, int start)
    {
        var lookup = _terms.GetAlternateLookup<ReadOnlySpan<char>>();
        var longest = Math.Min(MaxLength, text.Length - start);
        for (var length = longest; length >= 2; length--)
        {
            if (lookup.Contains(text.Slice(start, length)))
            {
                return length;
            }
        }

        return 0;
    }

    /// <summary>
    /// The length of the longest dictionary term of at least three characters that starts at
    /// <paramref name="start"/> in <paramref name="text"/>, or 0 when none does: what
    /// <see cref="LongestMatchAt"/> returns whenever that is 3 or more.
    /// </summary>
    internal int LongestLongTermAt(ReadOnlySpan<char> text, int start)
    {
        if (text.Length - start < 3
            || (_longTermFirstChars[text[start] >> 6] & (1UL << (text[start] & 63))) == 0
            || !_longTermPrefixes.TryGetValue((text[start] << 16) | text[start + 1], out var longest))
        {
            return 0;
        }

        var lookup = _terms.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var length = Math.Min(longest, text.Length - start); length >= 3; length--)
        {
            if (lookup.Contains(text.Slice(start, length)))
            {
                return length;
            }
        }

        return 0;
    }

    private static string Normalize(string term) =>
        term.Trim().Normalize(NormalizationForm.FormKC).ToLowerInvariant();

    private static IEnumerable<string> ReadTerms(IEnumerable<string> lines) =>
        lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));

    private static DomainDictionary LoadBuiltIn()
    {
        using var stream = typeof(DomainDictionary).Assembly.GetManifestResourceStream("Hanlin.Retrieval.Analysis.domain-terms.txt")
            ?? throw new InvalidOperationException("The built-in domain dictionary resource is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return FromTerms(ReadTerms(lines));
    }
}
