using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace Hanlin.Server.Tests;

/// <summary>The official OpenAI .NET client, unchanged, against <c>/v1</c>.</summary>
public sealed class OpenAiCompatibilityTests(IngestedServerFixture fixture) : IClassFixture<IngestedServerFixture>
{
    private static readonly ApiKeyCredential Key = new("unused");

    private OpenAIClientOptions Options => new() { Endpoint = new Uri(fixture.Server.BaseAddress, "/v1") };

    [Fact]
    public async Task Models_list_one_knowledge_base_model_per_collection()
    {
        var models = await new OpenAIModelClient(Key, Options).GetModelsAsync();

        Assert.Contains(models.Value, m => m.Id == "kb:" + Corpus.Collection);
    }

    [Fact]
    public async Task A_knowledge_base_chat_completion_cites_its_sources_in_text_and_structure()
    {
        var client = new ChatClient("kb:" + Corpus.Collection, Key, Options);

        var result = await client.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage(Corpus.EnglishQuestion)]);
        var completion = result.Value;

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        var text = completion.Content[0].Text;
        Assert.Contains("300 to 600 mg", text, StringComparison.Ordinal);
        Assert.Contains("[1]", text, StringComparison.Ordinal);
        Assert.True(completion.Usage.TotalTokenCount > 0);

        var raw = JsonSerializer.Deserialize<JsonElement>(result.GetRawResponse().Content.ToString());
        var citation = raw.GetProperty("choices")[0].GetProperty("message").GetProperty("citations")[0];
        Assert.Equal(1, citation.GetProperty("number").GetInt32());
        Assert.Equal("aspirin.md", citation.GetProperty("document_name").GetString());
        Assert.Equal(raw.GetProperty("citations").GetArrayLength(), raw.GetProperty("choices")[0].GetProperty("message").GetProperty("citations").GetArrayLength());
    }

    [Fact]
    public async Task Earlier_turns_are_history_and_the_latest_user_message_is_the_question()
    {
        var client = new ChatClient("kb:" + Corpus.Collection, Key, Options);

        var completion = (await client.CompleteChatAsync(
            new UserChatMessage("What is the redemption fee of the bond fund?"),
            new AssistantChatMessage("1.5 percent [1]."),
            new UserChatMessage("华法林的常用起始剂量是多少？"))).Value;

        Assert.Contains("2至5毫克", completion.Content[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_streamed_knowledge_base_completion_matches_the_whole_one_and_reports_usage()
    {
        var client = new ChatClient("kb:" + Corpus.Collection, Key, Options);
        var whole = (await client.CompleteChatAsync([new UserChatMessage(Corpus.EnglishQuestion)])).Value.Content[0].Text;

        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(Corpus.EnglishQuestion)]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(whole, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task The_stream_is_chat_completion_chunks_ending_in_done_with_citations_and_usage_when_asked()
    {
        var body = new
        {
            model = "kb:" + Corpus.Collection,
            stream = true,
            stream_options = new { include_usage = true },
            messages = new object[] { new { role = "user", content = new object[] { new { type = "text", text = Corpus.EnglishQuestion } } } },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
        using var response = await fixture.Server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();

        var events = SseParser.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1].Data);
        var chunks = events.Take(events.Count - 1).Select(e => JsonSerializer.Deserialize<JsonElement>(e.Data)).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var last = chunks[^2];
        Assert.Equal("stop", last.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("aspirin.md", last.GetProperty("citations")[0].GetProperty("document_name").GetString());
        var usage = chunks[^1];
        Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
        Assert.True(usage.GetProperty("usage").GetProperty("total_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Without_include_usage_no_usage_chunk_is_sent()
    {
        var body = new { model = "kb:" + Corpus.Collection, stream = true, messages = new[] { new { role = "user", content = Corpus.EnglishQuestion } } };
        using var response = await fixture.Server.Client.PostAsJsonAsync("/v1/chat/completions", body);

        var events = SseParser.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1].Data);
        Assert.All(events.Take(events.Count - 1), e => Assert.False(JsonSerializer.Deserialize<JsonElement>(e.Data).TryGetProperty("usage", out _)));
    }

    [Fact]
    public async Task An_unknown_model_is_404_model_not_found_for_the_openai_client()
    {
        var unknownCollection = await Assert.ThrowsAsync<ClientResultException>(() => new ChatClient("kb:nowhere", Key, Options).CompleteChatAsync([new UserChatMessage("hi")]));
        var unknownModel = await Assert.ThrowsAsync<ClientResultException>(() => new ChatClient("gpt-4o", Key, Options).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, unknownCollection.Status);
        Assert.Equal(404, unknownModel.Status);
        var raw = await fixture.Server.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "gpt-4o", messages = new[] { new { role = "user", content = "hi" } } });
        var problem = await Problems.AssertAsync(raw, HttpStatusCode.NotFound, "unsupported_model");
        Assert.Equal("model_not_found", problem.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{\"model\": \"kb:medicine\", \"messages\": []}", 400, "invalid_argument")]
    [InlineData("{\"model\": \"kb:medicine\", \"messages\": [{\"role\": \"assistant\", \"content\": \"hello\"}]}", 400, "invalid_argument")]
    [InlineData("{\"model\": \"kb:medicine\", \"messages\": [{\"role\": \"user\", \"content\": \"\"}]}", 400, "invalid_argument")]
    [InlineData("{\"messages\": [{\"role\": \"user\", \"content\": \"dose?\"}]}", 400, "invalid_argument")]
    [InlineData("{\"model\": \"kb:medicine\", \"messages\": {\"role\": \"user\"}}", 400, "malformed_request")]
    [InlineData("{\"model\": \"kb:medicine\", \"messages\": [", 400, "malformed_request")]
    public async Task Bad_chat_requests_are_4xx_problems(string json, int status, string code)
    {
        await Problems.AssertAsync(await fixture.Server.Client.PostJsonTextAsync("/v1/chat/completions", json), (HttpStatusCode)status, code);
    }

    [Fact]
    public async Task Embeddings_without_an_embedding_model_are_a_clear_404()
    {
        var raw = await fixture.Server.Client.PostAsJsonAsync("/v1/embeddings", new { model = "any", input = "text" });

        var problem = await Problems.AssertAsync(raw, HttpStatusCode.NotFound, "model_not_found");
        Assert.Contains("embedding", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
