using System.Text.RegularExpressions;
using Hanlin.Ingestion.Chunking;
using Hanlin.Rag.Context;
using Hanlin.Rag.Text;

namespace Hanlin.Rag.Answers;

/// <summary>
/// Checks an answer against the evidence it was given: every <c>[n]</c> must name a given source, and each
/// sentence's content terms (CJK bigrams, stemmed English words, numbers) must be found in its best cited
/// chunk. Support is the weighted share of the sentence's terms found there; a number the chunk lacks
/// makes the sentence unsupported whatever the share, since a wrong dose or date is the costliest error.
/// A sentence without markers is checked against every source and is flagged only when none supports it.
/// </summary>
public sealed partial class CitationVerifier
{
    private readonly ContentTerms _terms;
    private readonly SentenceSplitter _splitter;
    private readonly double _threshold;

    /// <summary>Creates the verifier; sentences reaching <paramref name="threshold"/> support count as supported.</summary>
    public CitationVerifier(ContentTerms terms, SentenceSplitter splitter, double threshold)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(splitter);
        _terms = terms;
        _splitter = splitter;
        _threshold = threshold;
    }

    /// <summary>One verification per sentence of <paramref name="answer"/>, in order.</summary>
    public IReadOnlyList<SentenceVerification> Verify(string answer, IReadOnlyList<AnalysedPassage> passages)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(passages);
        var byNumber = passages.ToDictionary(p => p.Passage.Number);
        var results = new List<SentenceVerification>();
        foreach (var sentence in Sentences(answer))
        {
            var cited = Markers(sentence);
            var invalid = cited.Where(n => !byNumber.ContainsKey(n)).ToList();
            var claim = MarkerPattern().Replace(sentence, " ");
            var claimTerms = _terms.Of(claim);
            double support;
            if (claimTerms.Count == 0)
            {
                // Nothing checkable ("See below:"): not a claim.
                support = 1;
            }
            else
            {
                var sources = cited.Count == 0 ? passages : cited.Where(byNumber.ContainsKey).Select(n => byNumber[n]).ToList();
                support = sources.Count == 0 ? 0 : sources.Max(p => Support(claimTerms, p.Terms));
            }

            results.Add(new SentenceVerification(sentence, cited, invalid, Math.Round(support, 4), support >= _threshold && invalid.Count == 0));
        }

        return results;
    }

    /// <summary>The citation numbers in <paramref name="text"/> in order of first appearance (<c>[2]</c>, <c>[1, 3]</c>, <c>[1][2]</c>).</summary>
    public static IReadOnlyList<int> Markers(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var numbers = new List<int>();
        foreach (Match match in MarkerPattern().Matches(text))
        {
            foreach (var part in match.Groups[1].Value.Split([',', '，', '、', ' '], StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, out var n) && !numbers.Contains(n))
                {
                    numbers.Add(n);
                }
            }
        }

        return numbers;
    }

    /// <summary>
    /// The answer's sentences; a run of markers standing alone after a sentence's full stop ("… 100 mg. [1]")
    /// belongs to that sentence.
    /// </summary>
    public IReadOnlyList<string> Sentences(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var spans = _splitter.Split(answer);
        var sentences = new List<string>(spans.Count);
        foreach (var span in spans)
        {
            var text = answer.Substring(span.Start, span.Length);
            if (sentences.Count > 0 && MarkerPattern().Replace(text, string.Empty).Trim().Length == 0)
            {
                sentences[^1] = string.Concat(sentences[^1], " ", text);
            }
            else
            {
                sentences.Add(text);
            }
        }

        return sentences;
    }

    private static double Support(IReadOnlyList<string> claim, IReadOnlySet<string> source)
    {
        double found = 0, total = 0;
        foreach (var term in claim)
        {
            var weight = ContentTerms.Weight(term);
            total += weight;
            if (source.Contains(term))
            {
                found += weight;
            }
            else if (ContentTerms.IsNumber(term))
            {
                return 0;
            }
        }

        return total == 0 ? 1 : found / total;
    }

    [GeneratedRegex(@"\[(\d{1,4}(?:\s*[,，、]\s*\d{1,4})*)\]")]
    private static partial Regex MarkerPattern();
}
