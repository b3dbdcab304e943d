using System.Text.Json;
using Hanlin.Core.Errors;

namespace Hanlin.Training.Datasets;

/// <summary>
/// Detects a dataset's format from its first <see cref="SampleLines"/> non-blank lines. If fewer than half of
/// them start with <c>{</c> the file is plain text. Otherwise every line that parses as a JSON object votes by its
/// keys (<c>messages</c>: chat; <c>conversations</c>: sharegpt; <c>instruction</c> or <c>output</c>: alpaca) and the
/// majority wins, the earliest vote breaking ties; a few malformed lines therefore do not change the answer.
/// </summary>
public static class DatasetFormatDetector
{
    /// <summary>How many non-blank lines are looked at.</summary>
    public const int SampleLines = 20;

    /// <summary>Detects the format of <paramref name="lines"/> (the file's lines, in order; only the first few are read).</summary>
    /// <param name="lines">The file's lines.</param>
    /// <param name="name">The file name for error messages.</param>
    /// <exception cref="HanlinException"><c>dataset_empty</c> without a non-blank line; <c>dataset_invalid</c> for JSON lines of no known format.</exception>
    public static DatasetFormat Detect(IEnumerable<string> lines, string name)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var sample = lines.Where(l => !string.IsNullOrWhiteSpace(l)).Take(SampleLines).ToList();
        if (sample.Count == 0)
        {
            throw new HanlinException(ErrorCodes.DatasetEmpty, $"The dataset '{name}' is empty: it has no non-blank line.");
        }

        if (sample.Count(l => l.TrimStart().StartsWith('{')) * 2 < sample.Count)
        {
            return DatasetFormat.Text;
        }

        var votes = new List<DatasetFormat>();
        foreach (var line in sample)
        {
            if (Classify(line) is { } format)
            {
                votes.Add(format);
            }
        }

        if (votes.Count == 0)
        {
            throw new HanlinException(
                ErrorCodes.DatasetInvalid,
                $"The format of '{name}' could not be detected: its first lines are JSON but have none of the keys 'messages' (chat), 'conversations' (sharegpt) or 'instruction'/'output' (alpaca); pass the format explicitly.");
        }

        return votes
            .Select((format, order) => (format, order))
            .GroupBy(v => v.format)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Min(v => v.order))
            .First().Key;
    }

    private static DatasetFormat? Classify(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("messages", out _))
            {
                return DatasetFormat.Chat;
            }

            if (root.TryGetProperty("conversations", out _))
            {
                return DatasetFormat.ShareGpt;
            }

            return root.TryGetProperty("instruction", out _) || root.TryGetProperty("output", out _) ? DatasetFormat.Alpaca : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
