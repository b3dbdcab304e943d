using System.Globalization;
using System.Text;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Cleaning;
using Hanlin.Ingestion.Dedup;
using Hanlin.Training.Evaluation;

namespace Hanlin.Training.Datasets;

/// <summary>
/// Removes empty or over-long turns, exact duplicates (SHA-256 of <see cref="TrainingExample.NormalizedText"/>) and
/// near duplicates (SimHash of the whole example, reusing ingestion's <see cref="SimHasher"/> and banded
/// <see cref="NearDuplicateIndex"/>). The first occurrence is always the one kept, so the result depends only on the
/// input order. Works on examples from any source, not only <see cref="DatasetReader"/>, hence its own length checks.
/// </summary>
public static class DatasetCleaner
{
    /// <summary>Cleans <paramref name="examples"/>; never throws for content, only reports.</summary>
    public static CleaningReport Clean(IEnumerable<TrainingExample> examples, CleaningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new CleaningOptions();
        if (options.NearDuplicateDistance is < 0 or > NearDuplicateIndex.MaxSupportedDistance)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The near-duplicate distance must be between 0 and {NearDuplicateIndex.MaxSupportedDistance} bits; {options.NearDuplicateDistance} was given.");
        }

        var limits = new TurnLimits(options.MaxTurnCharacters, options.MaxTurnTokens, options.TokenCounter);
        var kept = new List<TrainingExample>();
        var removed = new List<RemovedExample>();
        var byHash = new Dictionary<string, int>(StringComparer.Ordinal);
        var near = new NearDuplicateIndex();
        var lineOfKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<DatasetProblem>();
        foreach (var example in examples)
        {
            if (FindBadTurn(example, limits, problems) is { } bad)
            {
                removed.Add(bad);
                continue;
            }

            var text = example.NormalizedText();
            var hash = TrainingExample.HashOf(text);
            if (options.RemoveExactDuplicates && byHash.TryGetValue(hash, out var firstLine))
            {
                removed.Add(new RemovedExample(example.LineNumber, RemovalReason.ExactDuplicate, firstLine, $"Same normalised text as line {firstLine}."));
                continue;
            }

            byHash.TryAdd(hash, example.LineNumber);
            if (options.RemoveNearDuplicates && CountFeatures(text) >= options.NearDuplicateMinimumTokens)
            {
                var simHash = SimHasher.Compute(text);
                if (near.FindNearest(simHash, options.NearDuplicateDistance) is { } match)
                {
                    var line = lineOfKey[match.ChunkId];
                    removed.Add(new RemovedExample(example.LineNumber, RemovalReason.NearDuplicate, line, $"SimHash {match.Distance} bit(s) from line {line}."));
                    continue;
                }

                var key = kept.Count.ToString(CultureInfo.InvariantCulture);
                near.Add(key, key, simHash);
                lineOfKey[key] = example.LineNumber;
            }

            kept.Add(example);
        }

        return new CleaningReport(kept, removed);
    }

    private static RemovedExample? FindBadTurn(TrainingExample example, TurnLimits limits, List<DatasetProblem> problems)
    {
        for (var i = 0; i < example.Messages.Count; i++)
        {
            problems.Clear();
            var content = TextNormalizer.Normalize(example.Messages[i].Content);
            limits.Check(example.LineNumber, string.Create(CultureInfo.InvariantCulture, $"turn {i + 1} ({ConversationValidator.Name(example.Messages[i].Role)})"), content, problems);
            if (problems.Count > 0)
            {
                var reason = problems[0].Kind == DatasetProblemKind.EmptyContent ? RemovalReason.EmptyTurn : RemovalReason.TurnTooLong;
                return new RemovedExample(example.LineNumber, reason, null, problems[0].Message);
            }
        }

        return null;
    }

    // Tokens as SimHasher sees them: runs of letters/digits, and each CJK character on its own.
    private static int CountFeatures(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (MetricText.IsCjk(rune))
            {
                count++;
                inWord = false;
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                if (!inWord)
                {
                    count++;
                }

                inWord = true;
            }
            else
            {
                inWord = false;
            }
        }

        return count;
    }
}
