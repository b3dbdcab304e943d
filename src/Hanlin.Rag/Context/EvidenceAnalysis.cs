using Hanlin.Ingestion.Chunking;
using Hanlin.Rag.Text;

namespace Hanlin.Rag.Context;

/// <summary>
/// The question's content terms and the analysed evidence, with how strongly the evidence covers the
/// question. <see cref="Strength"/> is what the refusal threshold applies to: for the best passage, the mean
/// of the weighted share of question terms found anywhere in the chunk and in its best single sentence. A
/// chunk that shares the topic but not the asked-for detail (the fee, the year, the patient group) scores
/// low on both, which is the case a refusal must catch.
/// </summary>
public sealed class EvidenceAnalysis
{
    private EvidenceAnalysis(IReadOnlyList<string> queryTerms, IReadOnlyList<AnalysedPassage> passages)
    {
        QueryTerms = queryTerms;
        Passages = passages;
        QueryWeight = queryTerms.Sum(ContentTerms.Weight);
        Strength = passages.Count == 0 || QueryWeight <= 0
            ? 0
            : passages.Max(p => (Coverage(p.Terms) + p.Sentences.Select(s => Coverage(s.Terms)).DefaultIfEmpty(0).Max()) / 2);
    }

    /// <summary>Distinct content terms of the question.</summary>
    public IReadOnlyList<string> QueryTerms { get; }

    /// <summary>Total weight of <see cref="QueryTerms"/>.</summary>
    public double QueryWeight { get; }

    /// <summary>The passages in context order, analysed.</summary>
    public IReadOnlyList<AnalysedPassage> Passages { get; }

    /// <summary>Evidence strength, 0..1.</summary>
    public double Strength { get; }

    /// <summary>Analyses <paramref name="passages"/> against <paramref name="question"/>.</summary>
    public static EvidenceAnalysis Create(string question, IReadOnlyList<EvidencePassage> passages, ContentTerms terms, SentenceSplitter splitter)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(passages);
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(splitter);
        var analysed = new List<AnalysedPassage>(passages.Count);
        var spans = new List<TextSpan>();
        foreach (var passage in passages)
        {
            var text = passage.Chunk.Text;
            spans.Clear();
            splitter.Split(text, 0, spans);
            var sentences = new List<AnalysedSentence>(spans.Count);
            var union = new HashSet<string>(StringComparer.Ordinal);
            foreach (var span in spans)
            {
                var sentence = text.Substring(span.Start, span.Length);
                var sentenceTerms = terms.Of(sentence);
                union.UnionWith(sentenceTerms);
                sentences.Add(new AnalysedSentence(sentence, span.Start, sentenceTerms.ToHashSet(StringComparer.Ordinal)));
            }

            analysed.Add(new AnalysedPassage(passage, sentences, union));
        }

        return new EvidenceAnalysis(terms.Of(question), analysed);
    }

    /// <summary>Weighted share of the question's terms that <paramref name="available"/> holds, 0..1.</summary>
    public double Coverage(IEnumerable<string> available)
    {
        ArgumentNullException.ThrowIfNull(available);
        if (QueryWeight <= 0)
        {
            return 0;
        }

        var set = available as IReadOnlySet<string> ?? available.ToHashSet(StringComparer.Ordinal);
        var found = 0.0;
        foreach (var term in QueryTerms)
        {
            if (set.Contains(term))
            {
                found += ContentTerms.Weight(term);
            }
        }

        return found / QueryWeight;
    }
}
