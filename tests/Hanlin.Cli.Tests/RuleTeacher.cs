using Hanlin.Training.Synthesis;
using Microsoft.Extensions.AI;

namespace Hanlin.Cli.Tests;

/// <summary>
/// A small deterministic teacher for the dataset pipeline: it asks about the opening words of each sentence of the
/// passage, answers with the sentence that shares the most words with the question plus the requested citation, and
/// "translates" with a word table whose way back paraphrases ("said" returns as "stated"). Counts its calls.
/// </summary>
internal sealed class RuleTeacher : IChatClient
{
    private static readonly Dictionary<string, string> ToFrench = new(StringComparer.Ordinal) { ["What"] = "Que", ["is"] = "est", ["said"] = "dit", ["about"] = "sur" };
    private static readonly Dictionary<string, string> FromFrench = new(StringComparer.Ordinal) { ["Que"] = "What", ["est"] = "is", ["dit"] = "stated", ["sur"] = "about" };

    public int Calls { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var prompt = messages.Last().Text;
        var lines = prompt.Split('\n');
        var reply = lines[0] switch
        {
            KnowledgeDatasetBuilder.QuestionTask => string.Join('\n', Sentences(Passage(prompt)).Select(s => $"What is said about {string.Join(' ', s.Split(' ').Take(3))}?")),
            KnowledgeDatasetBuilder.AnswerTask => Answer(prompt),
            KnowledgeDatasetBuilder.TranslateTask => Translate(prompt),
            _ => "I do not understand.",
        };
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The rule teacher does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static string Passage(string prompt)
    {
        var start = prompt.IndexOf("Passage:\n", StringComparison.Ordinal) + "Passage:\n".Length;
        var end = prompt.IndexOf("\n\nQuestion:", StringComparison.Ordinal);
        return end < 0 ? prompt[start..] : prompt[start..end];
    }

    private static IEnumerable<string> Sentences(string passage) =>
        passage.Split(['.', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(s => s.Split(' ').Length >= 4);

    private static string Answer(string prompt)
    {
        var question = prompt[(prompt.LastIndexOf("Question: ", StringComparison.Ordinal) + "Question: ".Length)..].TrimEnd('?');
        var words = question.Split(' ').ToHashSet(StringComparer.OrdinalIgnoreCase);
        var best = Sentences(Passage(prompt)).MaxBy(s => s.Split(' ').Count(words.Contains))!;
        var source = prompt.Split('\n').First(l => l.StartsWith("Source: ", StringComparison.Ordinal))["Source: ".Length..];
        return $"{best}. {source}";
    }

    private static string Translate(string prompt)
    {
        var table = prompt.Contains("Translate into French", StringComparison.Ordinal) ? ToFrench : FromFrench;
        var text = prompt[(prompt.LastIndexOf("Text: ", StringComparison.Ordinal) + "Text: ".Length)..];
        return string.Join(' ', text.Split(' ').Select(w => table.GetValueOrDefault(w, w)));
    }
}
