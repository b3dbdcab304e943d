using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hanlin.Server.Tests;

/// <summary>A real Hanlin server on Kestrel at 127.0.0.1 (free port) over a temporary data directory.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly WebApplication _app;

    private RunningServer(TempDirectory directory, WebApplication app, HttpClient client)
    {
        _directory = directory;
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public IServiceProvider Services => _app.Services;

    public static async Task<RunningServer> StartAsync(
        Action<IServiceCollection, IConfiguration>? configureServices = null,
        IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var directory = new TempDirectory();
        var settings = new HanlinServerSettings
        {
            Port = 0,
            DataDirectory = directory.File("data"),
            Configuration = new Dictionary<string, string?>(configuration ?? new Dictionary<string, string?>())
            {
                ["Logging:LogLevel:Default"] = "Warning",
            },
        };
        var app = HanlinServer.Create(settings, configureServices);
        await app.StartAsync();
        await app.WaitUntilReadyAsync();
        var client = new HttpClient { BaseAddress = app.GetAddress(), Timeout = TimeSpan.FromSeconds(60) };
        return new RunningServer(directory, app, client);
    }

    /// <summary>Creates <paramref name="collection"/> and uploads the files through the API, waiting for the job to finish.</summary>
    public async Task<JsonElement> IngestAsync(string collection, params (string Name, string Content)[] files)
    {
        (await Client.PostAsJsonAsync("/api/collections", new { name = collection })).EnsureSuccessStatusCode();
        using var form = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            var part = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(content));
            part.Headers.ContentType = new MediaTypeHeaderValue("text/markdown");
            form.Add(part, "files", name);
        }

        using var response = await Client.PostAsync($"/api/collections/{collection}/documents", form);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        return await WaitForJobAsync(accepted.GetProperty("job_id").GetString()!);
    }

    public async Task<JsonElement> WaitForJobAsync(string jobId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await Client.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}", timeout.Token);
            if (job.GetProperty("status").GetString() is not ("queued" or "running"))
            {
                return job;
            }

            await Task.Delay(25, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory.Dispose();
    }
}
