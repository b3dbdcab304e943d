using System.Globalization;
using System.Text;
using System.Text.Json;
using Hanlin.Core.Errors;

namespace Hanlin.Training.Datasets;

/// <summary>
/// Reads a dataset file (JSONL or plain text, UTF-8 with or without BOM) line by line into
/// <see cref="TrainingExample"/>s, validating every line. Every problem of every line is reported with its 1-based
/// line number; lines with problems are left out; the dataset is refused as a whole only in strict mode, or when no
/// example is left.
/// </summary>
public static class DatasetReader
{
    /// <summary>Reads and validates <paramref name="path"/>.</summary>
    /// <exception cref="HanlinException">
    /// <c>file_not_found</c> or <c>unreadable_file</c>; <c>dataset_invalid</c> in strict mode when any line has a problem
    /// (the message lists the first ones); <c>dataset_empty</c> when no valid example is left, in any mode.
    /// </exception>
    public static async Task<TrainingDataset> ReadAsync(string path, DatasetReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new DatasetReadOptions();
        if (!File.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"The dataset file '{path}' does not exist.");
        }

        try
        {
            var format = options.Format;
            if (format == DatasetFormat.Auto)
            {
                format = DatasetFormatDetector.Detect(File.ReadLines(path), path);
            }

            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var limits = new TurnLimits(options.MaxTurnCharacters, options.MaxTurnTokens, options.TokenCounter);
            var (examples, problems, lines) = format == DatasetFormat.Text
                ? await ReadTextAsync(reader, options.TextSplit, limits, cancellationToken).ConfigureAwait(false)
                : await ReadJsonLinesAsync(reader, format, limits, cancellationToken).ConfigureAwait(false);
            var dataset = new TrainingDataset(path, format, examples, problems, lines);
            EnsureUsable(dataset, options);
            return dataset;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"The dataset file '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    private static void EnsureUsable(TrainingDataset dataset, DatasetReadOptions options)
    {
        if (options.Strict && dataset.Problems.Count > 0)
        {
            throw new HanlinException(
                ErrorCodes.DatasetInvalid,
                $"The dataset '{dataset.Path}' was refused in strict mode: {Describe(dataset, options.ProblemsInMessage)}");
        }

        if (dataset.Examples.Count == 0)
        {
            var why = dataset.Problems.Count == 0 ? "it contains no example." : $"no line is valid. {Describe(dataset, options.ProblemsInMessage)}";
            throw new HanlinException(ErrorCodes.DatasetEmpty, $"The dataset '{dataset.Path}' is empty: {why}");
        }
    }

    private static string Describe(TrainingDataset dataset, int shown)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{dataset.Problems.Count} problem(s) on {dataset.RefusedLines} line(s): ");
        sb.AppendJoin("; ", dataset.Problems.Take(Math.Max(1, shown)));
        if (dataset.Problems.Count > shown)
        {
            sb.Append(CultureInfo.InvariantCulture, $"; and {dataset.Problems.Count - shown} more");
        }

        return sb[^1] == '.' ? sb.ToString() : sb.Append('.').ToString();
    }

    private static async Task<(List<TrainingExample>, List<DatasetProblem>, int)> ReadJsonLinesAsync(
        StreamReader reader, DatasetFormat format, TurnLimits limits, CancellationToken cancellationToken)
    {
        var examples = new List<TrainingExample>();
        var problems = new List<DatasetProblem>();
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (ParseJsonLine(lineNumber, line, format, limits, problems) is { } example)
            {
                examples.Add(example);
            }
        }

        return (examples, problems, lineNumber);
    }

    private static TrainingExample? ParseJsonLine(int lineNumber, string line, DatasetFormat format, TurnLimits limits, List<DatasetProblem> problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.MalformedJson, $"Malformed JSON: {ex.Message}"));
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.MalformedJson, $"The line is {JsonFields.Describe(root.ValueKind)}, not a JSON object."));
                return null;
            }

            return format switch
            {
                DatasetFormat.Chat => ChatLineParser.Parse(lineNumber, root, limits, problems),
                DatasetFormat.Alpaca => AlpacaLineParser.Parse(lineNumber, root, limits, problems),
                DatasetFormat.ShareGpt => ShareGptLineParser.Parse(lineNumber, root, limits, problems),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a JSON lines format."),
            };
        }
    }

    private static async Task<(List<TrainingExample>, List<DatasetProblem>, int)> ReadTextAsync(
        StreamReader reader, TextDocumentSplit split, TurnLimits limits, CancellationToken cancellationToken)
    {
        var examples = new List<TrainingExample>();
        var problems = new List<DatasetProblem>();
        var document = new StringBuilder();
        var start = 0;
        var lineNumber = 0;

        void Flush()
        {
            if (document.Length == 0)
            {
                return;
            }

            var text = document.ToString();
            document.Clear();
            var before = problems.Count;
            limits.Check(start, "document", text, problems);
            if (problems.Count == before)
            {
                examples.Add(new TrainingExample(start, [new TrainingMessage(ChatRole.Text, text)]));
            }
        }

        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                Flush();
                continue;
            }

            if (split == TextDocumentSplit.Lines)
            {
                Flush();
            }

            if (document.Length == 0)
            {
                start = lineNumber;
            }
            else
            {
                document.Append('\n');
            }

            document.Append(line.TrimEnd());
        }

        Flush();
        return (examples, problems, lineNumber);
    }
}
