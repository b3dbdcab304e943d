using System.Diagnostics;
using Hanlin.Rag.Answers;
using Hanlin.Rag.Text;
using Hanlin.Retrieval;

namespace Hanlin.Rag.Evaluation;

/// <summary>
/// Asks every query through an <see cref="IKnowledgeAnswerer"/> (normally the extractive one over an
/// <see cref="EvalIndex"/>) and scores the answers against the golds, with the citation markers removed.
/// </summary>
public static class AnswerEvaluator
{
    /// <summary>Evaluates the answers to <paramref name="queries"/>; queries with a blank question are skipped (not counted).</summary>
    public static async Task<AnswerReport> RunAsync(
        IKnowledgeAnswerer answerer,
        int passages,
        IReadOnlyDictionary<string, string> passageTexts,
        IReadOnlyList<EvalQuery> queries,
        RetrievalMode mode = RetrievalMode.Bm25,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answerer);
        ArgumentNullException.ThrowIfNull(passageTexts);
        ArgumentNullException.ThrowIfNull(queries);
        double em = 0, f1 = 0, rouge = 0;
        int refused = 0, cited = 0, citedCorrect = 0;
        var method = AnswerMethod.Extractive;
        var watch = Stopwatch.StartNew();
        var latencies = new List<double>(queries.Count);
        queries = [.. queries.Where(q => !string.IsNullOrWhiteSpace(q.Question))];
        foreach (var query in queries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var language = LanguageDetector.Detect(query.Question);
            var started = Stopwatch.GetTimestamp();
            var answer = await answerer.AskAsync(new AskRequest(query.Question) { Mode = mode }, cancellationToken).ConfigureAwait(false);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            method = answer.Method;
            if (answer.Refused)
            {
                refused++;
                continue;
            }

            var prediction = StripMarkers(answer.Text);
            em += AnswerMetrics.ExactMatch(prediction, query.Answers, language);
            f1 += AnswerMetrics.F1(prediction, query.Answers, language);
            rouge += AnswerMetrics.RougeL(prediction, query.Answers, language);
            var gold = query.GoldPassageIds.ToHashSet(StringComparer.Ordinal);
            foreach (var number in CitationVerifier.Markers(answer.Text).Distinct())
            {
                if (number < 1 || number > answer.Citations.Count)
                {
                    cited++;
                    continue;
                }

                var chunkId = answer.Citations[number - 1].ChunkId;
                cited++;
                if (gold.Contains(chunkId) || (passageTexts.TryGetValue(chunkId, out var text) && ContainsAnswer(text, query.Answers, language)))
                {
                    citedCorrect++;
                }
            }
        }

        var n = Math.Max(1, queries.Count);
        return new AnswerReport(
            passages,
            queries.Count,
            method.ToString().ToLowerInvariant(),
            em / n,
            f1 / n,
            rouge / n,
            cited == 0 ? 0 : (double)citedCorrect / cited,
            cited,
            (double)refused / n,
            watch.Elapsed.TotalMilliseconds / n,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99));
    }

    /// <summary>Whether <paramref name="text"/> holds one of the golds, compared on normalised units.</summary>
    public static bool ContainsAnswer(string text, IReadOnlyList<string> golds, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(golds);
        var haystack = string.Join(' ', AnswerMetrics.Units(text, language));
        return golds.Any(g =>
        {
            var needle = string.Join(' ', AnswerMetrics.Units(g, language));
            return needle.Length > 0 && haystack.Contains(needle, StringComparison.Ordinal);
        });
    }

    private static double Percentile(List<double> values, double share)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        values.Sort();
        return values[Math.Min(values.Count - 1, (int)Math.Ceiling(share * values.Count) - 1)];
    }

    private static string StripMarkers(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\s*\[\d{1,4}(?:\s*[,，、]\s*\d{1,4})*\]", string.Empty);
}
