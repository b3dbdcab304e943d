using System.Net.Http.Json;
using System.Text.Json;

namespace Hanlin.Server.Tests;

/// <summary>Models named in configuration (Models:Chat / Models:Embedding) served over the real HTTP API.</summary>
public sealed class ConfiguredModelTests
{
    private static string BertFixture => Path.Combine(SharedData.RepositoryRoot, "tests", "Hanlin.Models.Tests", "Fixtures", "hf", "bert");

    [Fact]
    public async Task A_local_chat_model_from_configuration_answers_chat_completions_by_name()
    {
        var checkpoint = SharedData.Require("models/stories260K/stories260K.bin");
        var tokenizer = SharedData.Require("models/stories260K/tok512.bin");
        await using var server = await RunningServer.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["Models:Chat:stories:Path"] = checkpoint,
            ["Models:Chat:stories:Tokenizer"] = tokenizer,
        });

        var models = await server.Client.GetFromJsonAsync<JsonElement>("/v1/models", TestContext.Current.CancellationToken);
        Assert.Contains(models.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == "stories");

        using var response = await server.Client.PostAsJsonAsync(
            "/v1/chat/completions",
            new { model = "stories", messages = new[] { new { role = "user", content = "Once upon a time" } }, max_tokens = 20, temperature = 0 },
            TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var text = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        Assert.False(string.IsNullOrWhiteSpace(text));
        Assert.Equal(20, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Concurrent_chat_completions_to_one_local_model_each_get_the_answer_they_get_alone()
    {
        var checkpoint = SharedData.Require("models/stories260K/stories260K.bin");
        var tokenizer = SharedData.Require("models/stories260K/tok512.bin");
        await using var server = await RunningServer.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["Models:Chat:stories:Path"] = checkpoint,
            ["Models:Chat:stories:Tokenizer"] = tokenizer,
            ["Models:Chat:stories:MaxBatchSize"] = "2",
        });
        string[] questions = ["Once upon a time", "Lily", "The little dog ran", "Tom had a red ball"];
        var alone = new List<string>();
        foreach (var question in questions)
        {
            alone.Add(await Complete(question));
        }

        var together = await Task.WhenAll(questions.Select(Complete)); // four requests, two decoded at a time

        Assert.Equal(alone, together);

        async Task<string> Complete(string question)
        {
            using var response = await server.Client.PostAsJsonAsync(
                "/v1/chat/completions",
                new { model = "stories", messages = new[] { new { role = "user", content = question } }, max_tokens = 30, temperature = 0 },
                TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            return body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        }
    }

    [Fact]
    public async Task A_local_chat_model_with_a_bad_max_batch_size_is_refused_at_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["Models:Chat:x:Path"] = "/nonexistent",
            ["Models:Chat:x:MaxBatchSize"] = "0",
        }));
        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_local_embedding_model_turns_on_hybrid_search_over_ingested_documents()
    {
        await using var server = await RunningServer.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["Models:Embedding:Path"] = BertFixture,
        });
        var job = await server.IngestAsync("kb", ("aspirin.md", "# Aspirin\n\nAspirin inhibits platelet aggregation.\n"), ("tax.md", "# Tax\n\nDividends are taxed at source.\n"));
        Assert.Equal("succeeded", job.GetProperty("status").GetString());

        using var response = await server.Client.PostAsJsonAsync(
            "/api/search",
            new { query = "aspirin platelet", collections = new[] { "kb" }, mode = "hybrid", top_k = 2, explain = true },
            TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal("hybrid", result.GetProperty("mode").GetString());
        var hits = result.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(2, hits.Count);
        Assert.All(hits, h => Assert.True(h.GetProperty("explanation").TryGetProperty("vector_rank", out var rank) && rank.ValueKind == JsonValueKind.Number));
        Assert.Equal("aspirin.md", hits[0].GetProperty("document_name").GetString());
    }

    [Fact]
    public async Task A_chat_model_configured_with_both_a_path_and_an_endpoint_is_refused_at_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["Models:Chat:x:Path"] = "/nonexistent",
            ["Models:Chat:x:Endpoint"] = "http://127.0.0.1:1/v1",
        }));
        Assert.Contains("exactly one of", error.Message, StringComparison.Ordinal);
    }
}
