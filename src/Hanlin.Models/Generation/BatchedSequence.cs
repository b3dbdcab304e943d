using System.Threading.Channels;

namespace Hanlin.Models.Generation;

/// <summary>
/// One request inside a <see cref="ContinuousBatcher"/>: its prompt and sampler, where it is in the shared KV cache,
/// and the channel its tokens stream through. Everything but <see cref="Abandon"/> and the output's reader belongs
/// to the scheduler's loop thread.
/// </summary>
internal sealed class BatchedSequence
{
    private volatile bool _abandoned;

    public BatchedSequence(int[] prompt, GenerationOptions options, int contextLength, long arrival, CancellationToken cancellationToken)
    {
        Prompt = prompt;
        Options = options;
        Arrival = arrival;
        CancellationToken = cancellationToken;
        Sampler = new TokenSampler(options);
        Sampler.ObservePrompt(prompt);

        // The last generated token is never fed back, so prompt + new tokens - 1 positions suffice.
        Capacity = Math.Max(prompt.Length, Math.Min(contextLength, prompt.Length + options.MaxNewTokens - 1));
    }

    public int[] Prompt { get; }

    public GenerationOptions Options { get; }

    /// <summary>Admission order (FIFO) and prefill priority.</summary>
    public long Arrival { get; }

    public CancellationToken CancellationToken { get; }

    public TokenSampler Sampler { get; }

    /// <summary>Cache positions this sequence can ever fill.</summary>
    public int Capacity { get; }

    /// <summary>Tokens streamed to the caller; completed (possibly with an error) when the sequence ends.</summary>
    public Channel<int> Output { get; } = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Index of its sequence in the shared KV cache, or -1 while queued or after it ended.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>Positions already written to its cache slot (prompt chunks, then fed-back tokens).</summary>
    public int Fed { get; set; }

    /// <summary>Tokens streamed so far.</summary>
    public int Produced { get; set; }

    /// <summary>The sampled token the next decode step feeds, or -1 when there is none.</summary>
    public int Pending { get; set; } = -1;

    public bool Prefilled => Fed >= Prompt.Length;

    /// <summary>True once the caller cancelled or stopped reading: the sequence leaves at the next step.</summary>
    public bool Cancelled => _abandoned || CancellationToken.IsCancellationRequested;

    /// <summary>Called by the reader when it stops enumerating, whether or not the sequence has ended.</summary>
    public void Abandon() => _abandoned = true;
}
