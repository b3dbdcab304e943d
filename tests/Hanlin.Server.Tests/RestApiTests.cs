using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Hanlin.Server.Tests;

public sealed class RestApiTests
{
    [Fact]
    public async Task Collections_can_be_created_listed_fetched_and_deleted()
    {
        await using var server = await RunningServer.StartAsync();
        var client = server.Client;

        using var created = await client.PostAsJsonAsync("/api/collections", new { name = "legal", description = "Contracts" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var collection = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("legal", collection.GetProperty("name").GetString());
        Assert.Equal("Contracts", collection.GetProperty("description").GetString());

        var list = await client.GetFromJsonAsync<JsonElement>("/api/collections");
        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("name").GetString() == "legal");
        var byId = await client.GetFromJsonAsync<JsonElement>($"/api/collections/{collection.GetProperty("id").GetString()}");
        Assert.Equal("legal", byId.GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/collections/legal")).StatusCode);
        await Problems.AssertAsync(await client.GetAsync("/api/collections/legal"), HttpStatusCode.NotFound, "collection_not_found");
    }

    [Fact]
    public async Task Creating_a_collection_twice_or_with_a_bad_name_is_a_client_error()
    {
        await using var server = await RunningServer.StartAsync();
        (await server.Client.PostAsJsonAsync("/api/collections", new { name = "kb" })).EnsureSuccessStatusCode();

        await Problems.AssertAsync(await server.Client.PostAsJsonAsync("/api/collections", new { name = "kb" }), HttpStatusCode.Conflict, "collection_exists");
        await Problems.AssertAsync(await server.Client.PostAsJsonAsync("/api/collections", new { name = "../etc" }), HttpStatusCode.BadRequest, "invalid_collection_name");
        await Problems.AssertAsync(await server.Client.PostAsJsonAsync("/api/collections", new { description = "no name" }), HttpStatusCode.BadRequest, "invalid_collection_name");
    }

    [Fact]
    public async Task An_upload_returns_a_job_whose_results_list_every_file_and_the_documents_become_searchable()
    {
        await using var server = await RunningServer.StartAsync();
        var job = await server.IngestAsync(Corpus.Collection, Corpus.Files);

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(Corpus.Files.Length, job.GetProperty("total_files").GetInt32());
        var files = job.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(Corpus.Files.Select(f => f.Name).Order(), files.Select(f => f.GetProperty("path").GetString()).Order());
        Assert.All(files, f => Assert.Equal("ingested", f.GetProperty("outcome").GetString()));
        Assert.StartsWith("job_", job.GetProperty("ingestion_job_id").GetString(), StringComparison.Ordinal);

        // The stored ingestion job answers under its own id too.
        var stored = await server.Client.GetFromJsonAsync<JsonElement>($"/api/jobs/{job.GetProperty("ingestion_job_id").GetString()}");
        Assert.Equal("succeeded", stored.GetProperty("status").GetString());

        var documents = await server.Client.GetFromJsonAsync<JsonElement>($"/api/collections/{Corpus.Collection}/documents");
        var aspirin = documents.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "aspirin.md");
        var id = aspirin.GetProperty("id").GetString();
        var document = await server.Client.GetFromJsonAsync<JsonElement>($"/api/documents/{id}");
        Assert.Equal("text/markdown", document.GetProperty("media_type").GetString());
        var chunks = await server.Client.GetFromJsonAsync<JsonElement>($"/api/documents/{id}/chunks");
        Assert.Contains(chunks.EnumerateArray(), c => c.GetProperty("text").GetString()!.Contains("300 to 600 mg", StringComparison.Ordinal));
        Assert.Equal(3, (await server.Client.GetFromJsonAsync<JsonElement>($"/api/documents?collection={Corpus.Collection}")).GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/api/documents/{id}")).StatusCode);
        await Problems.AssertAsync(await server.Client.GetAsync($"/api/documents/{id}"), HttpStatusCode.NotFound, "document_not_found");
        await Problems.AssertAsync(await server.Client.GetAsync($"/api/documents/{id}/chunks"), HttpStatusCode.NotFound, "document_not_found");
        var search = await server.Client.PostAsJsonAsync("/api/search", new { query = "aspirin dose pain", mode = "bm25" });
        var hits = (await search.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hits");
        Assert.DoesNotContain(hits.EnumerateArray(), h => h.GetProperty("document_id").GetString() == id);
    }

    [Fact]
    public async Task A_file_in_a_format_Hanlin_cannot_read_rejects_the_upload_with_415()
    {
        await using var server = await RunningServer.StartAsync();
        (await server.Client.PostAsJsonAsync("/api/collections", new { name = "kb" })).EnsureSuccessStatusCode();
        using var form = new MultipartFormDataContent();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[256]];
        form.Add(new ByteArrayContent(png), "files", "scan.png");
        form.Add(new StringContent("# Fine\n\nA readable file."), "files", "fine.md");

        var body = await Problems.AssertAsync(await server.Client.PostAsync("/api/collections/kb/documents", form), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("scan.png", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_that_is_not_multipart_is_415()
    {
        await using var server = await RunningServer.StartAsync();
        (await server.Client.PostAsJsonAsync("/api/collections", new { name = "kb" })).EnsureSuccessStatusCode();

        await Problems.AssertAsync(await server.Client.PostAsJsonAsync("/api/collections/kb/documents", new { file = "x" }), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task An_upload_larger_than_the_configured_limit_is_413_and_creates_no_job()
    {
        await using var server = await RunningServer.StartAsync(configuration: new Dictionary<string, string?> { ["Server:MaxUploadBytes"] = "65536" });
        (await server.Client.PostAsJsonAsync("/api/collections", new { name = "kb" })).EnsureSuccessStatusCode();
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("# Big\n\n" + new string('x', 300_000)), "files", "big.md");

        // Expect: 100-continue lets the server refuse before the client sends a body it will not read.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/collections/kb/documents") { Content = form };
        request.Headers.ExpectContinue = true;
        await Problems.AssertAsync(await server.Client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        var documents = await server.Client.GetFromJsonAsync<JsonElement>("/api/collections/kb/documents");
        Assert.Equal(0, documents.GetArrayLength());
    }

    [Fact]
    public async Task Uploading_to_an_unknown_collection_or_asking_for_an_unknown_job_is_404()
    {
        await using var server = await RunningServer.StartAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("# A\n\nText."), "files", "a.md");

        await Problems.AssertAsync(await server.Client.PostAsync("/api/collections/nowhere/documents", form), HttpStatusCode.NotFound, "collection_not_found");
        await Problems.AssertAsync(await server.Client.GetAsync("/api/jobs/upl_missing"), HttpStatusCode.NotFound, "job_not_found");
        await Problems.AssertAsync(await server.Client.DeleteAsync("/api/documents/doc_missing"), HttpStatusCode.NotFound, "document_not_found");
    }

    [Fact]
    public async Task A_file_that_fails_to_ingest_is_reported_in_the_job_while_the_others_land()
    {
        await using var server = await RunningServer.StartAsync();
        (await server.Client.PostAsJsonAsync("/api/collections", new { name = "kb" })).EnsureSuccessStatusCode();
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent([]), "files", "empty.md");
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("# Ok\n\nThis one is fine.")) { Headers = { ContentType = new MediaTypeHeaderValue("text/markdown") } }, "files", "ok.md");

        using var response = await server.Client.PostAsync("/api/collections/kb/documents", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await server.WaitForJobAsync((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job_id").GetString()!);

        Assert.Equal("partially_failed", job.GetProperty("status").GetString());
        var files = job.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.Equal("failed", files["empty.md"].GetProperty("outcome").GetString());
        Assert.Equal("empty_file", files["empty.md"].GetProperty("error_code").GetString());
        Assert.Equal("ingested", files["ok.md"].GetProperty("outcome").GetString());
    }
}
