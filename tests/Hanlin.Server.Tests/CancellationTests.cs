using System.Net.Http.Json;
using Hanlin.Rag.Answers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hanlin.Server.Tests;

public sealed class CancellationTests
{
    [Theory]
    [InlineData("/api/ask", "{\"question\": \"dose?\", \"stream\": true}")]
    [InlineData("/v1/chat/completions", "{\"model\": \"kb:kb\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"dose?\"}]}")]
    public async Task A_client_that_disconnects_mid_stream_cancels_the_answer(string path, string json)
    {
        var answerer = new GatedAnswerer();
        await using var server = await RunningServer.StartAsync((services, _) =>
        {
            services.RemoveAll<IKnowledgeAnswerer>();
            services.AddSingleton<IKnowledgeAnswerer>(answerer);
        });
        (await server.Client.PostAsJsonAsync("/api/collections", new { name = "kb" })).EnsureSuccessStatusCode();

        using (var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") })
        using (var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            string? line;
            while ((line = await reader.ReadLineAsync()) is not null && !line.Contains("being written", StringComparison.Ordinal))
            {
            }

            Assert.NotNull(line);
        }

        // Disposing the unread response closed the connection; the server must pass that on to the answerer.
        await answerer.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }
}
