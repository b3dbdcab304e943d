using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Hanlin.Retrieval.Analysis;

/// <summary>
/// Lower-cases terms with the invariant culture's simple per-code-point mapping, exactly as Lucene's
/// <c>LowerCaseFilter</c> does, but from a table: Lucene.Net's filter calls the culture's span lower-casing
/// per token, which on Linux goes through ICU for every token that is not pure ASCII (every CJK bigram),
/// and was the largest single cost of indexing mixed Chinese/English text.
/// </summary>
public sealed class InvariantLowerCaseFilter : TokenFilter
{
    // Lower-case form of every BMP code unit (surrogates map to themselves); 128 KB, built once per process.
    private static readonly Lazy<char[]> LowerTable = new(BuildTable, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly ICharTermAttribute _term;
    private readonly char[] _lower;

    /// <summary>Wraps <paramref name="input"/>.</summary>
    public InvariantLowerCaseFilter(TokenStream input)
        : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
        _lower = LowerTable.Value;
    }

    /// <inheritdoc />
    public override bool IncrementToken()
    {
        if (!m_input.IncrementToken())
        {
            return false;
        }

        var buffer = _term.Buffer;
        var length = _term.Length;
        for (var i = 0; i < length; i++)
        {
            var c = buffer[i];
            if (char.IsHighSurrogate(c) && i + 1 < length && char.IsLowSurrogate(buffer[i + 1]))
            {
                // Supplementary letters (Deseret, Adlam, ...) lower-case to supplementary letters: same length.
                var lower = Rune.ToLowerInvariant(new Rune(c, buffer[i + 1]));
                lower.EncodeToUtf16(buffer.AsSpan(i, 2));
                i++;
                continue;
            }

            buffer[i] = _lower[c];
        }

        return true;
    }

    private static char[] BuildTable()
    {
        var table = new char[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            table[c] = char.IsSurrogate((char)c) ? (char)c : char.ToLowerInvariant((char)c);
        }

        return table;
    }
}
