using System.Text.Json;
using Hanlin.Core.Errors;

namespace Hanlin.Rag.Evaluation;

/// <summary>
/// Reads the evaluation format of <c>../shared/datasets</c>: <c>corpus.jsonl</c> rows
/// <c>{id, text, context_id?, type?, title?}</c> and <c>queries.jsonl</c> rows
/// <c>{id, question, answers[], gold_passage_ids[]}</c> (other fields are ignored).
/// </summary>
public static class EvalDataset
{
    /// <summary>Loads the corpus.</summary>
    /// <exception cref="HanlinException">The file is missing or a line is not a valid row.</exception>
    public static IReadOnlyList<EvalPassage> LoadCorpus(string path) =>
        Read(path, (root, line) => new EvalPassage(
            RequiredString(root, "id", path, line),
            OptionalString(root, "context_id"),
            OptionalString(root, "type"),
            OptionalString(root, "title"),
            RequiredString(root, "text", path, line)));

    /// <summary>Loads the queries.</summary>
    /// <exception cref="HanlinException">The file is missing or a line is not a valid row.</exception>
    public static IReadOnlyList<EvalQuery> LoadQueries(string path) =>
        Read(path, (root, line) => new EvalQuery(
            RequiredString(root, "id", path, line),
            RequiredString(root, "question", path, line),
            Strings(root, "answers"),
            Strings(root, "gold_passage_ids")));

    private static List<T> Read<T>(string path, Func<JsonElement, int, T> parse)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadLines(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"The evaluation file '{path}' does not exist.", ex);
        }

        var rows = new List<T>();
        var number = 0;
        try
        {
            foreach (var text in lines)
            {
                number++;
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new HanlinException(ErrorCodes.InvalidArgument, $"Line {number} of '{path}' is not a JSON object.");
                }

                rows.Add(parse(document.RootElement, number));
            }
        }
        catch (JsonException ex)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"Line {number} of '{path}' is not valid JSON: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"The evaluation file '{path}' cannot be read: {ex.Message}", ex);
        }

        return rows;
    }

    private static string RequiredString(JsonElement root, string name, string path, int line) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new HanlinException(ErrorCodes.InvalidArgument, $"Line {line} of '{path}' has no string field '{name}'.");

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string[] Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];
}
