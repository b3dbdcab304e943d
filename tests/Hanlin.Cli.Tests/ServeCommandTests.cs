using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Hanlin.Cli.Tests;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_with_demo_ingests_the_samples_answers_over_http_and_stops_cleanly_when_cancelled()
    {
        using var dir = new TempDirectory();
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var serving = CliRunner.RunAsync(["serve", "--port", port.ToString(), "--demo", "--data", dir.File("data")], stop.Token);

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        JsonElement demo = default;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (demo.ValueKind == JsonValueKind.Undefined || demo.GetProperty("document_count").GetInt32() == 0)
        {
            if (serving.IsCompleted)
            {
                Assert.Fail("serve exited early: " + (await serving).Output);
            }

            await Task.Delay(100, timeout.Token);
            try
            {
                using var response = await client.GetAsync("api/collections/demo", timeout.Token);
                demo = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token) : default;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
        }

        var models = await client.GetFromJsonAsync<JsonElement>("v1/models", timeout.Token);
        Assert.Contains(models.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == "kb:demo");

        await stop.CancelAsync();
        var (exit, output) = await serving.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains($"http://127.0.0.1:{port}/", output, StringComparison.Ordinal);
        Assert.Contains("kb:demo", output, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
