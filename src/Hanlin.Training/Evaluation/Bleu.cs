using System.Text;
using System.Text.RegularExpressions;

namespace Hanlin.Training.Evaluation;

/// <summary>
/// Corpus-level BLEU-4 as sacrebleu computes it (<c>corpus_bleu</c> with its defaults): clipped n-gram matches and
/// totals are summed over the whole corpus before the precisions are taken, the brevity penalty uses the summed
/// lengths, and orders beyond the longest hypothesis count as zero precision. Hand-written because no maintained
/// .NET package reproduces sacrebleu's tokenisation and smoothing; the tests check hand-computed values.
/// </summary>
public static partial class Bleu
{
    /// <summary>The highest n-gram order.</summary>
    public const int MaxOrder = 4;

    // sacrebleu's my_log(0): a finite stand-in for log(0) that drives the score to 0.
    private const double LogOfZero = -9999999999;

    /// <summary>BLEU of <paramref name="hypotheses"/> against one reference each.</summary>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references, BleuOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(references);
        return Corpus(hypotheses, [.. references.Select(r => (IReadOnlyList<string>)[r])], options);
    }

    /// <summary>BLEU of <paramref name="hypotheses"/> against one or more references each.</summary>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references, BleuOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(references);
        if (hypotheses.Count != references.Count)
        {
            throw new ArgumentException($"{hypotheses.Count} hypotheses for {references.Count} reference sets; they must be aligned.", nameof(references));
        }

        options ??= new BleuOptions();
        var tokenization = options.Tokenization == BleuTokenization.Auto
            ? references.Any(set => set.Any(MetricText.ContainsCjk)) ? BleuTokenization.Chinese : BleuTokenization.Thirteen
            : options.Tokenization;
        var matches = new long[MaxOrder];
        var totals = new long[MaxOrder];
        long hypothesisLength = 0;
        long referenceLength = 0;
        for (var s = 0; s < hypotheses.Count; s++)
        {
            var hypothesis = Tokenize(hypotheses[s], tokenization, options.Lowercase);
            var referenceTokens = references[s].Select(r => Tokenize(r, tokenization, options.Lowercase)).ToList();
            if (referenceTokens.Count == 0)
            {
                throw new ArgumentException($"Hypothesis {s} has no reference.", nameof(references));
            }

            hypothesisLength += hypothesis.Length;
            referenceLength += ClosestLength(hypothesis.Length, referenceTokens);
            for (var n = 1; n <= MaxOrder; n++)
            {
                var hypothesisCounts = NGrams(hypothesis, n);
                var maxReferenceCounts = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var reference in referenceTokens)
                {
                    foreach (var (gram, count) in NGrams(reference, n))
                    {
                        maxReferenceCounts[gram] = Math.Max(count, maxReferenceCounts.GetValueOrDefault(gram));
                    }
                }

                foreach (var (gram, count) in hypothesisCounts)
                {
                    matches[n - 1] += Math.Min(count, maxReferenceCounts.GetValueOrDefault(gram));
                }

                totals[n - 1] += Math.Max(0, hypothesis.Length - n + 1);
            }
        }

        return Score(matches, totals, hypothesisLength, referenceLength, options);
    }

    /// <summary>sacrebleu's 13a tokenisation of one line (mteval-v13a without its HTML unescaping of rare entities).</summary>
    public static string TokenizeThirteen(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line = line.Replace("<skipped>", string.Empty, StringComparison.Ordinal)
            .Replace("-\n", string.Empty, StringComparison.Ordinal)
            .Replace('\n', ' ');
        if (line.Contains('&', StringComparison.Ordinal))
        {
            line = line.Replace("&quot;", "\"", StringComparison.Ordinal)
                .Replace("&amp;", "&", StringComparison.Ordinal)
                .Replace("&lt;", "<", StringComparison.Ordinal)
                .Replace("&gt;", ">", StringComparison.Ordinal);
        }

        line = $" {line} ";
        line = Punctuation().Replace(line, " $1 ");
        line = PeriodCommaAfterNonDigit().Replace(line, "$1 $2 ");
        line = PeriodCommaBeforeNonDigit().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        return string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static BleuScore Score(long[] matches, long[] totals, long hypothesisLength, long referenceLength, BleuOptions options)
    {
        var precisions = new double[MaxOrder];
        var smoothedMatches = matches.Select(m => (double)m).ToArray();
        var smoothedTotals = totals.Select(t => (double)t).ToArray();
        var mteval = 1.0;
        for (var n = 1; n <= MaxOrder; n++)
        {
            if (options.Smoothing == BleuSmoothing.AddK && n > 1)
            {
                smoothedMatches[n - 1] += options.SmoothValue ?? 1;
                smoothedTotals[n - 1] += options.SmoothValue ?? 1;
            }

            if (smoothedTotals[n - 1] == 0)
            {
                break;
            }

            if (smoothedMatches[n - 1] == 0)
            {
                if (options.Smoothing == BleuSmoothing.Exponential)
                {
                    mteval *= 2;
                    precisions[n - 1] = 100.0 / (mteval * smoothedTotals[n - 1]);
                }
                else if (options.Smoothing == BleuSmoothing.Floor)
                {
                    precisions[n - 1] = 100.0 * (options.SmoothValue ?? 0.1) / smoothedTotals[n - 1];
                }
            }
            else
            {
                precisions[n - 1] = 100.0 * smoothedMatches[n - 1] / smoothedTotals[n - 1];
            }
        }

        var brevityPenalty = hypothesisLength >= referenceLength ? 1.0
            : hypothesisLength > 0 ? Math.Exp(1 - (double)referenceLength / hypothesisLength) : 0.0;
        var logSum = precisions.Sum(p => p > 0 ? Math.Log(p) : LogOfZero);
        var score = brevityPenalty * Math.Exp(logSum / MaxOrder);
        return new BleuScore(score, precisions, brevityPenalty, hypothesisLength, referenceLength, matches, totals);
    }

    // sacrebleu: the reference length closest to the hypothesis length, the shorter one on a tie.
    private static int ClosestLength(int hypothesisLength, List<string[]> references)
    {
        var best = references[0].Length;
        foreach (var reference in references)
        {
            var difference = Math.Abs(reference.Length - hypothesisLength);
            var bestDifference = Math.Abs(best - hypothesisLength);
            if (difference < bestDifference || (difference == bestDifference && reference.Length < best))
            {
                best = reference.Length;
            }
        }

        return best;
    }

    private static Dictionary<string, int> NGrams(string[] tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Length; i++)
        {
            // U+0001 cannot occur inside a token, so joined n-grams never collide.
            var gram = string.Join('\u0001', tokens, i, n);
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }

        return counts;
    }

    private static string[] Tokenize(string text, BleuTokenization tokenization, bool lowercase)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (lowercase)
        {
            text = text.ToLowerInvariant();
        }

        var tokenized = tokenization switch
        {
            BleuTokenization.Thirteen => TokenizeThirteen(text),
            BleuTokenization.Chinese => TokenizeThirteen(SeparateCjk(text)),
            _ => text,
        };
        return tokenized.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    private static string SeparateCjk(string text)
    {
        var sb = new StringBuilder(text.Length * 2);
        foreach (var rune in text.EnumerateRunes())
        {
            if (MetricText.IsCjk(rune) || IsCjkPunctuation(rune))
            {
                sb.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                sb.Append(rune.ToString());
            }
        }

        return sb.ToString();
    }

    // CJK symbols and punctuation and full-width forms (，。！？：；（）): tokens of their own, as in sacrebleu's zh.
    private static bool IsCjkPunctuation(Rune rune) => rune.Value is (>= 0x3000 and <= 0x303F) or (>= 0xFF00 and <= 0xFFEF);

    [GeneratedRegex(@"([\{-\~\[-\` -\&\(-\+\:-\@\/])")]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"([^0-9])([\.,])")]
    private static partial Regex PeriodCommaAfterNonDigit();

    [GeneratedRegex(@"([\.,])([^0-9])")]
    private static partial Regex PeriodCommaBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)")]
    private static partial Regex DashAfterDigit();
}
