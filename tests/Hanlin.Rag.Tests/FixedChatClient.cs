using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Hanlin.Rag.Tests;

/// <summary>
/// A deterministic chat model for tests of what happens around generation (verification, streaming,
/// cancellation): it answers with <see cref="Text"/> whatever it is asked, streaming it word by word, and
/// records the messages it was sent. <see cref="DelayPerToken"/> makes streaming slow enough to cancel.
/// </summary>
internal sealed class FixedChatClient(string text) : IChatClient
{
    public string Text { get; set; } = text;

    public TimeSpan DelayPerToken { get; init; }

    public IReadOnlyList<ChatMessage> LastMessages { get; private set; } = [];

    public int StreamedTokens { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        LastMessages = [.. messages];
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Text)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        LastMessages = [.. messages];
        var pieces = Text.Split(' ');
        for (var i = 0; i < pieces.Length; i++)
        {
            if (DelayPerToken > TimeSpan.Zero)
            {
                await Task.Delay(DelayPerToken, cancellationToken);
            }
            else
            {
                await Task.Yield();
            }

            cancellationToken.ThrowIfCancellationRequested();
            StreamedTokens++;
            yield return new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? pieces[i] : " " + pieces[i]);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
