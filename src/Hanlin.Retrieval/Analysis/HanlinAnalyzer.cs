using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Util;

namespace Hanlin.Retrieval.Analysis;

/// <summary>
/// Analyzer for mixed Chinese/English text, used at index and query time alike:
/// UAX#29 word breaking (numbers such as <c>0.5</c> and <c>2024</c> stay whole), width folding, lower
/// case, English possessives removed, CJK runs turned into overlapping bigrams plus whole
/// <see cref="DomainDictionary"/> terms, English stop words removed, Porter stemming of non-CJK words.
/// </summary>
public sealed class HanlinAnalyzer : Analyzer
{
    /// <summary>The Lucene version whose tokenisation rules this analyzer pins.</summary>
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly DomainDictionary _dictionary;
    private readonly bool _fused;

    /// <summary>Creates the analyzer with the given dictionary (<see cref="DomainDictionary.BuiltIn"/> when null).</summary>
    public HanlinAnalyzer(DomainDictionary? dictionary = null)
        : this(dictionary, fused: true)
    {
    }

    /// <summary>
    /// Creates the analyzer; with <paramref name="fused"/> false it runs the reference chain of Lucene components
    /// instead of <see cref="FusedCjkEnglishTokenizer"/> (the tests compare the two token for token).
    /// </summary>
    internal HanlinAnalyzer(DomainDictionary? dictionary, bool fused)
    {
        _dictionary = dictionary ?? DomainDictionary.BuiltIn;
        _fused = fused;
    }

    /// <summary>The dictionary whose terms are emitted whole.</summary>
    public DomainDictionary Dictionary => _dictionary;

    /// <summary>Analyzes <paramref name="text"/> into its terms in order; handy for queries and tests.</summary>
    public IReadOnlyList<string> Terms(string text, string fieldName = "text")
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<string>();
        using var stream = GetTokenStream(fieldName, text);
        var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }

    /// <summary>
    /// The reference chain this analyzer's tokens are defined by, up to and including <see cref="DomainTermFilter"/>:
    /// UAX#29 word breaking, width folding, lower case, possessives removed, CJK bigrams, whole dictionary terms.
    /// <see cref="FusedCjkEnglishTokenizer"/> reproduces it exactly and falls back on it for text it cannot.
    /// </summary>
    internal static TokenStreamComponents CreateReferenceChain(TextReader reader, DomainDictionary dictionary)
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream stream = new CJKWidthFilter(source);
        stream = new InvariantLowerCaseFilter(stream);
        stream = new EnglishPossessiveFilter(Version, stream);
        stream = new CJKBigramFilter(stream);
        stream = new DomainTermFilter(stream, dictionary);
        return new TokenStreamComponents(source, stream);
    }

    /// <inheritdoc />
    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        Tokenizer source;
        TokenStream stream;
        if (_fused)
        {
            source = new FusedCjkEnglishTokenizer(reader, _dictionary);
            stream = source;
        }
        else
        {
            var reference = CreateReferenceChain(reader, _dictionary);
            source = reference.Tokenizer;
            stream = reference.TokenStream;
        }

        stream = new StopFilter(Version, stream, EnglishAnalyzer.DefaultStopSet);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(source, stream);
    }
}
