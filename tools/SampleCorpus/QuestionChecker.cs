using System.Text.Json;

namespace SampleCorpus;

/// <summary>
/// Checks samples/questions.jsonl against the corpus: every gold answer must occur in the text of its source
/// file (ignoring whitespace, since PDF lines and Markdown wrapping break text anywhere), and every
/// unanswerable question must say so with a null answer and no source.
/// </summary>
internal static class QuestionChecker
{
    public static IReadOnlyList<string> Check(string root)
    {
        var problems = new List<string>();
        var cache = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(Path.Combine(root, "questions.jsonl"));
        foreach (var line in lines.Where(line => line.Length > 0))
        {
            using var json = JsonDocument.Parse(line);
            var item = json.RootElement;
            var id = item.GetProperty("id").GetString();
            var answer = item.GetProperty("answer");
            var source = item.GetProperty("source");
            if (answer.ValueKind == JsonValueKind.Null)
            {
                if (source.ValueKind != JsonValueKind.Null)
                {
                    problems.Add($"{id}: an unanswerable question must have no source.");
                }

                continue;
            }

            var path = Path.Combine(root, source.GetString()!);
            if (!File.Exists(path))
            {
                problems.Add($"{id}: source {path} does not exist.");
                continue;
            }

            if (!cache.TryGetValue(path, out var text))
            {
                text = WithoutWhitespace(SampleVerifier.ExtractText(path));
                cache.Add(path, text);
            }

            if (!text.Contains(WithoutWhitespace(answer.GetString()!), StringComparison.Ordinal))
            {
                problems.Add($"{id}: answer \"{answer.GetString()}\" does not occur in {source.GetString()}.");
            }
        }

        Console.WriteLine($"questions.jsonl: {lines.Length} questions checked, {problems.Count} problems");
        return problems;
    }

    private static string WithoutWhitespace(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
