using System.ClientModel;
using System.Net.Http.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace Hanlin.Server.Tests;

public sealed class PassThroughTests
{
    private static readonly ApiKeyCredential Key = new("unused");

    private static Task<RunningServer> StartAsync() => RunningServer.StartAsync((services, _) =>
    {
        services.AddHanlinChatModel("echo-model", _ => new EchoChatClient());
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, HashEmbeddingGenerator>();
    });

    [Fact]
    public async Task Other_model_names_pass_through_to_the_configured_chat_model_whole_and_streamed()
    {
        await using var server = await StartAsync();
        var options = new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") };
        var client = new ChatClient("echo-model", Key, options);

        var whole = (await client.CompleteChatAsync([new UserChatMessage("hello there")])).Value;
        var streamed = new System.Text.StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("hello there")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }
        }

        Assert.Equal("echo: hello there", whole.Content[0].Text);
        Assert.Equal(5, whole.Usage.TotalTokenCount);
        Assert.Equal("echo: hello there", streamed.ToString().Trim());
        var models = await new OpenAIModelClient(Key, options).GetModelsAsync();
        Assert.Contains(models.Value, m => m.Id == "echo-model");
    }

    [Fact]
    public async Task Embeddings_come_from_the_configured_generator_in_input_order()
    {
        await using var server = await StartAsync();
        var options = new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") };

        var result = await new EmbeddingClient("any", Key, options).GenerateEmbeddingsAsync(["aaaa", "bbbb"]);

        Assert.Equal(2, result.Value.Count);
        Assert.Equal(HashEmbeddingGenerator.Dimensions, result.Value[0].ToFloats().Length);
        Assert.Equal(4f, result.Value[0].ToFloats().Span['a' % HashEmbeddingGenerator.Dimensions]);
        Assert.Equal(4f, result.Value[1].ToFloats().Span['b' % HashEmbeddingGenerator.Dimensions]);

        var bad = await server.Client.PostAsJsonAsync("/v1/embeddings", new { input = new object[] { 1, 2 } });
        await Problems.AssertAsync(bad, System.Net.HttpStatusCode.BadRequest, "invalid_argument");
    }
}
