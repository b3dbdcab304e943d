using Hanlin.Core.Errors;
using Hanlin.Models.Chat;
using Hanlin.Models.Generation;
using Hanlin.Models.Llama;
using Hanlin.Models.Templates;
using Hanlin.Models.Tokenization;
using Microsoft.Extensions.AI;

namespace Hanlin.Models.Tests.Chat;

public sealed class LocalChatClientTests
{
    [Fact]
    public async Task A_greedy_chat_response_reproduces_the_reference_generation_with_usage_counts()
    {
        using var model = Load();
        using var client = new LocalChatClient(model);
        var reference = Stories260K.References().GetProperty("generation_cases")[0];
        var promptText = reference.GetProperty("prompt").GetString()!;
        var promptIds = ((Llama2cTokenizer)model.Tokenizer).Encode(promptText);
        var maxNewTokens = reference.GetProperty("llama2c_steps").GetInt32() - promptIds.Count + 1;

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, promptText)],
            new ChatOptions { MaxOutputTokens = maxNewTokens, Temperature = 0 },
            TestContext.Current.CancellationToken);

        Assert.Equal(reference.GetProperty("generated_text_after_prompt").GetString(), response.Text);
        Assert.Equal(promptIds.Count, response.Usage?.InputTokenCount);
        Assert.Equal(reference.GetProperty("generated_token_ids_after_prompt").GetArrayLength(), response.Usage?.OutputTokenCount);
        Assert.Equal("stories", response.ModelId);
    }

    [Fact]
    public async Task Streaming_yields_the_same_text_as_a_whole_response_and_ends_with_usage()
    {
        using var model = Load();
        using var client = new LocalChatClient(model);
        var options = new ChatOptions { MaxOutputTokens = 40, Temperature = 0 };
        ChatMessage[] messages = [new(ChatRole.User, "Once upon a time")];

        var whole = await client.GetResponseAsync(messages, options, TestContext.Current.CancellationToken);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count > 2);
        Assert.Equal(whole.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.IsType<UsageContent>(Assert.Single(updates[^1].Contents));
        Assert.Equal(ChatFinishReason.Length, updates[^1].FinishReason);
    }

    [Fact]
    public async Task A_stop_string_ends_the_answer_before_it()
    {
        using var model = Load();
        using var client = new LocalChatClient(model);
        ChatMessage[] messages = [new(ChatRole.User, "Once upon a time")];
        var full = (await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 60, Temperature = 0 }, TestContext.Current.CancellationToken)).Text;
        var stop = full.Substring(full.Length / 2, 4);

        var stopped = await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 60, Temperature = 0, StopSequences = [stop] }, TestContext.Current.CancellationToken);

        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
    }

    [Fact]
    public async Task Concurrent_requests_each_get_the_answer_they_get_alone()
    {
        using var model = Load();
        using var client = new LocalChatClient(model);
        string[] questions = ["Once upon a time", "Lily", "The little dog ran to the park and saw a big"];
        var options = new ChatOptions { MaxOutputTokens = 50, Temperature = 0 };
        var alone = new List<string>();
        foreach (var question in questions)
        {
            alone.Add((await client.GetResponseAsync([new ChatMessage(ChatRole.User, question)], options, TestContext.Current.CancellationToken)).Text);
        }

        var together = await Task.WhenAll(questions.Select(q => client.GetResponseAsync([new ChatMessage(ChatRole.User, q)], options, TestContext.Current.CancellationToken)));

        Assert.Equal(alone, together.Select(r => r.Text));
    }

    [Fact]
    public void A_chat_template_renders_the_conversation_and_its_special_tokens_are_not_added_twice()
    {
        var tokenizer = Llama2cTokenizer.Load(Stories260K.Tokenizer);
        var template = ChatTemplate.Parse("{{ bos_token }}{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}");
        using var model = new LocalChatModel(
            "stories",
            LlamaModel.LoadLlama2c(Stories260K.Checkpoint),
            tokenizer,
            template,
            new Dictionary<string, object?> { ["bos_token"] = "<s>" });

        var ids = model.EncodeConversation([new ChatTemplateMessage("user", "Lily had a cat.")]);

        Assert.Equal(((ITextTokenizer)tokenizer).Encode("<s>user: Lily had a cat.\nassistant:", addSpecialTokens: false, parseSpecialTokens: true), ids);
    }

    [Fact]
    public async Task Cancelling_stops_a_streamed_answer()
    {
        using var model = Load();
        using var client = new LocalChatClient(model);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")], new ChatOptions { MaxOutputTokens = 200, Temperature = 0 }, cancellation.Token))
            {
                if (++received == 3)
                {
                    await cancellation.CancelAsync();
                }
            }
        });
        Assert.Equal(3, received);
    }

    [Fact]
    public async Task Out_of_range_sampling_options_are_an_invalid_argument()
    {
        using var model = Load();
        using var client = new LocalChatClient(model);
        var error = await Assert.ThrowsAsync<HanlinException>(() => client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Hi")], new ChatOptions { TopP = 0f }, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
    }

    [Fact]
    public async Task A_truncated_gguf_file_is_refused_as_corrupt()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "model.gguf");
        await File.WriteAllBytesAsync(path, [.. "GGUF"u8, 3, 0, 0, 0], TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<HanlinException>(() => LocalChatModel.LoadAsync("m", path, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
    }

    private static LocalChatModel Load()
    {
        var tokenizer = Llama2cTokenizer.Load(Stories260K.Tokenizer);
        return new LocalChatModel("stories", LlamaModel.LoadLlama2c(Stories260K.Checkpoint), tokenizer, defaults: new GenerationOptions { StopTokenIds = new HashSet<int> { tokenizer.BosId } });
    }
}
