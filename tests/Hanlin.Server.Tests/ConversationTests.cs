using System.Net.Http.Json;
using System.Text.Json;

namespace Hanlin.Server.Tests;

/// <summary>Earlier turns of a kb:&lt;collection&gt; chat give a follow-up question its subject in retrieval.</summary>
public sealed class ConversationTests : IAsyncLifetime
{
    // Every label has side effects; ibuprofen's says so most often, so a follow-up asked on its own finds ibuprofen first.
    private static readonly (string Name, string Content)[] Files =
    [
        ("aspirin.md", "# Aspirin\n\n## Dosage\n\nThe usual adult dose of aspirin is 300 to 600 mg every four hours.\n\n## Side effects\n\nAspirin can cause stomach bleeding and ringing in the ears."),
        ("ibuprofen.md", "# Ibuprofen\n\n## Side effects\n\nThe side effects of ibuprofen include heartburn and dizziness; side effects are rare at low doses."),
        ("paracetamol.md", "# Paracetamol\n\n## Side effects\n\nParacetamol rarely causes a skin rash; an overdose damages the liver."),
        ("metformin.md", "# Metformin\n\n## Side effects\n\nMetformin often upsets the stomach at first and may lower vitamin B12."),
        ("warfarin.md", "# Warfarin\n\n## Side effects\n\nWarfarin increases the risk of bleeding; bruising is common."),
    ];

    private RunningServer? _server;

    private RunningServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        Assert.Equal("succeeded", (await _server.IngestAsync("drugs", Files)).GetProperty("status").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_follow_up_question_is_answered_about_the_subject_of_the_earlier_turn()
    {
        var followUp = await CompleteAsync(
            ("user", "What is the usual adult dose of aspirin?"),
            ("assistant", "The usual adult dose of aspirin is 300 to 600 mg every four hours [1]."),
            ("user", "And its side effects?"));
        var alone = await CompleteAsync(("user", "And its side effects?"));

        Assert.Equal("aspirin.md", FirstCitation(followUp));
        Assert.Contains("stomach bleeding", Answer(followUp), StringComparison.Ordinal);

        // The same words without the conversation are about another drug: the history is what made the difference.
        Assert.Equal("ibuprofen.md", FirstCitation(alone));
    }

    [Fact]
    public async Task A_new_self_contained_question_is_not_pulled_back_to_the_earlier_subject()
    {
        var answer = await CompleteAsync(
            ("user", "What are the side effects of aspirin?"),
            ("assistant", "Aspirin can cause stomach bleeding [1]."),
            ("user", "What does ibuprofen cause, heartburn or dizziness?"));

        Assert.Equal("ibuprofen.md", FirstCitation(answer));
        Assert.Contains("heartburn", Answer(answer), StringComparison.Ordinal);
    }

    private async Task<JsonElement> CompleteAsync(params (string Role, string Content)[] messages)
    {
        using var response = await Server.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "kb:drugs",
            messages = messages.Select(m => new { role = m.Role, content = m.Content }).ToArray(),
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    private static string? Answer(JsonElement completion) => completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();

    private static string? FirstCitation(JsonElement completion)
    {
        var answer = Answer(completion) ?? string.Empty;
        var citations = completion.GetProperty("citations").EnumerateArray().ToList();

        // The source the answer's first marker points to, not merely the first passage given.
        var marker = answer.IndexOf('[', StringComparison.Ordinal);
        Assert.True(marker >= 0, $"No citation marker in '{answer}'.");
        var number = int.Parse(answer[(marker + 1)..answer.IndexOf(']', marker)], System.Globalization.CultureInfo.InvariantCulture);
        return citations.Single(c => c.GetProperty("number").GetInt32() == number).GetProperty("document_name").GetString();
    }
}
