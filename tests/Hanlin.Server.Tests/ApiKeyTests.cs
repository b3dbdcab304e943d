using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace Hanlin.Server.Tests;

/// <summary>API keys: roles and collection scopes on a real server with two collections.</summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private const string AdminKey = "admin-secret";
    private const string MedicineReader = "medicine-reader-secret";
    private const string Writer = "writer-secret";

    private RunningServer? _server;

    private RunningServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        _server = await RunningServer.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["Server:ApiKeys:0:Key"] = AdminKey,
            ["Server:ApiKeys:0:Name"] = "ops",
            ["Server:ApiKeys:0:Role"] = "admin",
            ["Server:ApiKeys:1:Key"] = MedicineReader,
            ["Server:ApiKeys:1:Name"] = "clinic",
            ["Server:ApiKeys:1:Role"] = "read",
            ["Server:ApiKeys:1:Collections:0"] = "medicine",
            ["Server:ApiKeys:2:Key"] = Writer,
            ["Server:ApiKeys:2:Role"] = "write",
        });
        _server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        Assert.Equal("succeeded", (await _server.IngestAsync("medicine", Corpus.Files[0], Corpus.Files[1])).GetProperty("status").GetString());
        Assert.Equal("succeeded", (await _server.IngestAsync("finance", Corpus.Files[2])).GetProperty("status").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_request_without_a_key_is_401_unauthenticated_while_health_stays_open()
    {
        using var anonymous = new HttpClient { BaseAddress = Server.BaseAddress };

        var search = await anonymous.PostAsJsonAsync("/api/search", new { query = "aspirin" });
        await Problems.AssertAsync(search, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("Bearer", search.Headers.WwwAuthenticate.Single().Scheme);
        await Problems.AssertAsync(await anonymous.GetAsync("/v1/models"), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_key_is_401_invalid_api_key_in_either_header()
    {
        await Problems.AssertAsync(await SendAsync(HttpMethod.Get, "/api/collections", bearer: "guess"), HttpStatusCode.Unauthorized, "invalid_api_key");
        await Problems.AssertAsync(await SendAsync(HttpMethod.Get, "/api/collections", apiKey: "guess"), HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task A_collection_scoped_key_searches_and_lists_only_its_collections()
    {
        var hits = await ReadAsync(await SendAsync(HttpMethod.Post, "/api/search", apiKey: MedicineReader, body: new { query = "redemption fee aspirin dose", mode = "bm25" }));
        var collections = await ReadAsync(await SendAsync(HttpMethod.Get, "/api/collections", bearer: MedicineReader));
        var models = await ReadAsync(await SendAsync(HttpMethod.Get, "/v1/models", bearer: MedicineReader));
        var allHits = await ReadAsync(await SendAsync(HttpMethod.Post, "/api/search", bearer: AdminKey, body: new { query = "redemption fee aspirin dose", mode = "bm25" }));

        Assert.NotEqual(0, hits.GetProperty("hits").GetArrayLength());
        Assert.All(hits.GetProperty("hits").EnumerateArray(), h => Assert.NotEqual("fund.md", h.GetProperty("document_name").GetString()));
        Assert.Contains(allHits.GetProperty("hits").EnumerateArray(), h => h.GetProperty("document_name").GetString() == "fund.md");
        Assert.Equal(["medicine"], collections.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.DoesNotContain(models.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == "kb:finance");
        Assert.Contains(models.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == "kb:medicine");
    }

    [Fact]
    public async Task A_collection_outside_the_key_scope_is_403_collection_forbidden()
    {
        await Problems.AssertAsync(await SendAsync(HttpMethod.Post, "/api/search", bearer: MedicineReader, body: new { query = "fee", collections = new[] { "finance" } }), HttpStatusCode.Forbidden, "collection_forbidden");
        await Problems.AssertAsync(await SendAsync(HttpMethod.Get, "/api/collections/finance", bearer: MedicineReader), HttpStatusCode.Forbidden, "collection_forbidden");
        await Problems.AssertAsync(await SendAsync(HttpMethod.Get, "/api/collections/finance/documents", bearer: MedicineReader), HttpStatusCode.Forbidden, "collection_forbidden");
        var chat = await SendAsync(HttpMethod.Post, "/v1/chat/completions", bearer: MedicineReader, body: new { model = "kb:finance", messages = new[] { new { role = "user", content = "What is the redemption fee?" } } });
        await Problems.AssertAsync(chat, HttpStatusCode.Forbidden, "collection_forbidden");
    }

    [Fact]
    public async Task A_role_below_the_operation_is_403_insufficient_role()
    {
        using var upload = new MultipartFormDataContent { { new StringContent("# Note\n\nA note."), "files", "note.md" } };
        using var readerUpload = new HttpRequestMessage(HttpMethod.Post, "/api/collections/medicine/documents") { Content = upload };
        readerUpload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MedicineReader);
        await Problems.AssertAsync(await Server.Client.SendAsync(readerUpload), HttpStatusCode.Forbidden, "insufficient_role");

        await Problems.AssertAsync(await SendAsync(HttpMethod.Post, "/api/collections", bearer: Writer, body: new { name = "legal" }), HttpStatusCode.Forbidden, "insufficient_role");
        await Problems.AssertAsync(await SendAsync(HttpMethod.Delete, "/api/collections/finance", bearer: Writer), HttpStatusCode.Forbidden, "insufficient_role");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/collections", bearer: AdminKey, body: new { name = "legal" })).StatusCode);
    }

    [Fact]
    public async Task The_official_openai_client_authenticates_with_its_api_key()
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(Server.BaseAddress, "/v1") };
        var completion = await new ChatClient("kb:medicine", new ApiKeyCredential(MedicineReader), options).CompleteChatAsync([new UserChatMessage(Corpus.EnglishQuestion)]);
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => new ChatClient("kb:medicine", new ApiKeyCredential("wrong"), options).CompleteChatAsync([new UserChatMessage(Corpus.EnglishQuestion)]));

        Assert.Contains("300 to 600 mg", completion.Value.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal(401, refused.Status);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? bearer = null, string? apiKey = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        // The shared client carries the admin key; each request here states its own.
        request.Headers.Authorization = bearer is null ? null : new AuthenticationHeaderValue("Bearer", bearer);
        if (bearer is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "none");
        }

        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await Server.Client.SendAsync(request);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }
}
