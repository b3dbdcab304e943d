using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Hanlin.Server.Tests;

public sealed class SearchAndAskTests(IngestedServerFixture fixture) : IClassFixture<IngestedServerFixture>
{
    private HttpClient Client => fixture.Server.Client;

    [Fact]
    public async Task Search_returns_hits_with_provenance_and_explanations_on_request()
    {
        using var response = await Client.PostAsJsonAsync("/api/search", new { query = "华法林 剂量", collections = new[] { Corpus.Collection }, top_k = 2, mode = "hybrid", explain = true });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        // No embedding model is configured: hybrid falls back to BM25 and says so.
        Assert.Equal("bm25", body.GetProperty("mode").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("notice").GetString()));
        var top = body.GetProperty("hits")[0];
        Assert.Equal("warfarin.zh.md", top.GetProperty("document_name").GetString());
        Assert.Contains("用法用量", top.GetProperty("section").GetString(), StringComparison.Ordinal);
        Assert.Contains("2至5毫克", top.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("chk_", top.GetProperty("chunk_id").GetString(), StringComparison.Ordinal);
        Assert.True(top.GetProperty("score").GetDouble() > 0);
        Assert.Equal(1, top.GetProperty("explanation").GetProperty("bm25_rank").GetInt32());
    }

    [Fact]
    public async Task Search_without_explain_leaves_explanations_out_and_filters_by_document()
    {
        var all = await (await Client.PostAsJsonAsync("/api/search", new { query = "aspirin", mode = "bm25" })).Content.ReadFromJsonAsync<JsonElement>();
        var fundId = (await Client.GetFromJsonAsync<JsonElement>("/api/documents")).EnumerateArray().Single(d => d.GetProperty("name").GetString() == "fund.md").GetProperty("id").GetString();
        var filtered = await (await Client.PostAsJsonAsync("/api/search", new { query = "aspirin fee", filters = new { document_ids = new[] { fundId } } })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.All(all.GetProperty("hits").EnumerateArray(), h => Assert.False(h.TryGetProperty("explanation", out _)));
        Assert.All(filtered.GetProperty("hits").EnumerateArray(), h => Assert.Equal(fundId, h.GetProperty("document_id").GetString()));
        Assert.NotEqual(0, filtered.GetProperty("hits").GetArrayLength());
    }

    [Theory]
    [InlineData("{\"query\": \"aspirin\"", 400, "malformed_request")]
    [InlineData("{\"query\": 42}", 400, "malformed_request")]
    [InlineData("{\"query\": \"aspirin\", \"top_k\": \"many\"}", 400, "malformed_request")]
    [InlineData("{\"query\": \"aspirin\", \"filters\": {\"updated_from\": \"yesterday\"}}", 400, "malformed_request")]
    [InlineData("{\"query\": \"aspirin\", \"collections\": [\"nowhere\"]}", 404, "collection_not_found")]
    [InlineData("{\"query\": \"\"}", 400, "invalid_argument")]
    [InlineData("{\"query\": \"aspirin\", \"top_k\": 0}", 400, "invalid_argument")]
    [InlineData("{\"query\": \"aspirin\", \"top_k\": 101}", 400, "invalid_argument")]
    [InlineData("{\"query\": \"aspirin\", \"mode\": \"semantic\"}", 400, "invalid_argument")]
    [InlineData("{\"query\": \"aspirin\", \"filters\": {\"updated_from\": \"2026-02-01T00:00:00Z\", \"updated_to\": \"2026-01-01T00:00:00Z\"}}", 400, "invalid_argument")]
    [InlineData("{\"query\": \"aspirin\", \"filters\": {\"document_ids\": [\"\"]}}", 400, "invalid_argument")]
    [InlineData("", 400, "malformed_request")]
    public async Task Bad_search_input_is_a_4xx_problem_with_a_stable_code(string json, int status, string code)
    {
        await Problems.AssertAsync(await Client.PostJsonTextAsync("/api/search", json), (HttpStatusCode)status, code);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_and_an_oversized_body_is_413()
    {
        using var text = new StringContent("query=aspirin", Encoding.UTF8, "text/plain");
        await Problems.AssertAsync(await Client.PostAsync("/api/search", text), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        // Expect: 100-continue lets the server refuse before the client sends 5 MB it will not read.
        var huge = "{\"query\": \"" + new string('a', 5 << 20) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/search") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        await Problems.AssertAsync(await Client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "request_too_large");
    }

    [Fact]
    public async Task Ask_answers_with_citations_that_point_to_the_source()
    {
        using var response = await Client.PostAsJsonAsync("/api/ask", new { question = Corpus.EnglishQuestion, collections = new[] { Corpus.Collection } });
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.False(answer.GetProperty("refused").GetBoolean());
        Assert.Equal("extractive", answer.GetProperty("method").GetString());
        Assert.Contains("[1]", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.Contains("300 to 600 mg", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
        var first = answer.GetProperty("citations")[0];
        Assert.Equal(1, first.GetProperty("number").GetInt32());
        Assert.Equal("aspirin.md", first.GetProperty("document_name").GetString());
        Assert.NotEqual(0, answer.GetProperty("verification").GetArrayLength());
    }

    [Fact]
    public async Task Ask_refuses_when_the_knowledge_base_has_no_answer()
    {
        var answer = await (await Client.PostAsJsonAsync("/api/ask", new { question = "What is the boiling point of liquid nitrogen on Jupiter's moons?" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(answer.GetProperty("refused").GetBoolean());
    }

    [Theory]
    [InlineData("{\"question\": \"\"}", 400, "invalid_argument")]
    [InlineData("{\"question\": \"   \"}", 400, "invalid_argument")]
    [InlineData("{\"question\": \"dose?\", \"collections\": [\"nowhere\"]}", 404, "collection_not_found")]
    [InlineData("{\"question\": \"dose?\", \"top_k\": 500}", 400, "invalid_argument")]
    [InlineData("{\"question\": \"dose?\", \"history\": [{\"role\": \"system\", \"content\": \"x\"}]}", 400, "invalid_argument")]
    [InlineData("{\"question\": \"dose?\", \"language\": \"fr\"}", 400, "invalid_argument")]
    [InlineData("{\"question\": [1, 2]}", 400, "malformed_request")]
    public async Task Bad_questions_are_a_4xx_problem_with_a_stable_code(string json, int status, string code)
    {
        await Problems.AssertAsync(await Client.PostJsonTextAsync("/api/ask", json), (HttpStatusCode)status, code);
    }

    [Fact]
    public async Task A_one_megabyte_question_is_rejected_as_too_long_in_json_and_stream_mode()
    {
        var question = new string('a', 1 << 20);

        await Problems.AssertAsync(await Client.PostAsJsonAsync("/api/ask", new { question }), HttpStatusCode.BadRequest, "invalid_argument");
        await Problems.AssertAsync(await Client.PostAsJsonAsync("/api/ask", new { question, stream = true }), HttpStatusCode.BadRequest, "invalid_argument");
    }

    [Fact]
    public async Task Ask_streams_citations_then_deltas_then_the_completed_answer_as_server_sent_events()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = JsonContent.Create(new { question = Corpus.EnglishQuestion, stream = true }) };
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        var events = SseParser.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("citations", events[0].Event);
        Assert.Equal("completed", events[^1].Event);
        var deltas = events.Where(e => e.Event == "delta").Select(e => JsonSerializer.Deserialize<JsonElement>(e.Data).GetProperty("text").GetString()).ToList();
        Assert.NotEmpty(deltas);
        var completed = JsonSerializer.Deserialize<JsonElement>(events[^1].Data);
        Assert.Equal(completed.GetProperty("answer").GetString(), string.Concat(deltas));
        Assert.Contains("[1]", completed.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_accept_header_of_text_event_stream_also_streams()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = JsonContent.Create(new { question = Corpus.EnglishQuestion }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(SseParser.Parse(await response.Content.ReadAsStringAsync()), e => e.Event == "completed");
    }

    [Fact]
    public async Task Health_readiness_openapi_and_the_reference_page_are_served()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/healthz")).StatusCode);
        var ready = await Client.GetFromJsonAsync<JsonElement>("/readyz");
        Assert.Equal("ready", ready.GetProperty("status").GetString());

        var openApi = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/api/search", "/api/ask", "/api/collections", "/api/collections/{collection}/documents", "/api/jobs/{id}", "/v1/chat/completions", "/v1/models", "/v1/embeddings" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        }

        using var page = await Client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_routes_and_methods_are_problems_with_codes()
    {
        await Problems.AssertAsync(await Client.GetAsync("/api/nothing-here"), HttpStatusCode.NotFound, "not_found");
        await Problems.AssertAsync(await Client.PutAsync("/api/search", new StringContent("{}")), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }
}
