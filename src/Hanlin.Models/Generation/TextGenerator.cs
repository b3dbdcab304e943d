using System.Runtime.CompilerServices;
using Hanlin.Core.Errors;
using Hanlin.Models.Llama;
using static TorchSharp.torch;

namespace Hanlin.Models.Generation;

/// <summary>
/// Continues token sequences with a <see cref="LlamaModel"/>: one batched forward over the prompt, then one
/// forward per new token against a pre-allocated KV cache. Not thread-safe: one generation at a time per model.
/// </summary>
public sealed class TextGenerator
{
    private readonly LlamaModel _model;

    /// <summary>Creates a generator over <paramref name="model"/>, which the caller keeps owning.</summary>
    public TextGenerator(LlamaModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <summary>Greedy continuation of <paramref name="promptIds"/>: up to <paramref name="maxNewTokens"/> ids, ending early at a stop token (not returned) or a full context.</summary>
    /// <exception cref="HanlinException">The prompt does not fit the model's context (<c>context_length_exceeded</c>).</exception>
    public IReadOnlyList<int> Generate(IReadOnlyList<int> promptIds, int maxNewTokens, IReadOnlySet<int>? stopTokenIds = null)
    {
        var options = new GenerationOptions { MaxNewTokens = maxNewTokens, StopTokenIds = stopTokenIds ?? new HashSet<int>() };
        var result = new List<int>();
        foreach (var token in Run(promptIds, options, CancellationToken.None))
        {
            result.Add(token);
        }

        return result;
    }

    /// <summary>
    /// Continues several prompts in one batch: prompts are left-padded to the longest, padding is masked out and
    /// positions start at each prompt's first real token, so every row produces what it would alone while the
    /// weights are read once per step for all of them. Each row ends at its own stop token (not returned) or after
    /// <see cref="GenerationOptions.MaxNewTokens"/>; the batch ends when every row has. Each row samples with its own
    /// seeded sampler (seed + row index).
    /// </summary>
    /// <exception cref="HanlinException">A prompt does not fit the context (<c>context_length_exceeded</c>) or holds an id outside the vocabulary.</exception>
    public IReadOnlyList<IReadOnlyList<int>> GenerateBatch(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfZero(prompts.Count);
        foreach (var prompt in prompts)
        {
            _ = Run(prompt, options, cancellationToken); // validates length and ids; the steps are not run
        }

        var batch = prompts.Count;
        var results = prompts.Select(_ => new List<int>()).ToArray();
        if (options.MaxNewTokens == 0)
        {
            return results;
        }

        var longest = prompts.Max(p => p.Count);
        var capacity = Math.Min(_model.Config.MaxSequenceLength, longest + options.MaxNewTokens - 1);
        using var cache = _model.CreateCache(batch, Math.Max(capacity, longest));
        var padding = prompts.Select(p => longest - p.Count).ToArray();
        var samplers = Enumerable.Range(0, batch).Select(b => new TokenSampler(options with { Seed = options.Seed is { } seed ? unchecked(seed + b) : null })).ToArray();
        for (var b = 0; b < batch; b++)
        {
            samplers[b].ObservePrompt(prompts[b]);
        }

        var input = new long[batch * longest];
        for (var b = 0; b < batch; b++)
        {
            for (var i = 0; i < prompts[b].Count; i++)
            {
                input[(b * longest) + padding[b] + i] = prompts[b][i];
            }
        }

        var done = new bool[batch];
        var position = 0;
        var next = BatchStep(input, longest, ref position, cache, padding, samplers, done);
        while (true)
        {
            for (var b = 0; b < batch; b++)
            {
                if (done[b])
                {
                    continue;
                }

                if (options.StopTokenIds.Contains(next[b]))
                {
                    done[b] = true;
                    continue;
                }

                results[b].Add(next[b]);
                samplers[b].ObserveGenerated(next[b]);
                done[b] = results[b].Count == options.MaxNewTokens;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (done.All(d => d) || position == cache.MaxSequenceLength)
            {
                return results;
            }

            // Finished rows keep stepping on their last token; their outputs are ignored.
            next = BatchStep([.. next.Select(t => (long)t)], 1, ref position, cache, padding, samplers, done);
        }
    }

    /// <summary>
    /// Streams generated token ids (prompt excluded) as they are produced; cancellation is checked before every token.
    /// Each step runs on the thread pool so the caller's thread is never blocked by a forward pass.
    /// </summary>
    /// <exception cref="HanlinException">The prompt does not fit the model's context (<c>context_length_exceeded</c>).</exception>
    public async IAsyncEnumerable<int> GenerateAsync(
        IReadOnlyList<int> promptIds,
        GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var steps = Run(promptIds, options, cancellationToken).GetEnumerator();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var moved = await Task.Run(steps.MoveNext, cancellationToken).ConfigureAwait(false);
            if (!moved)
            {
                yield break;
            }

            yield return steps.Current;
        }
    }

    private IEnumerable<int> Run(IReadOnlyList<int> promptIds, GenerationOptions options, CancellationToken cancellationToken)
    {
        Validate(_model, promptIds, options);
        return Steps(promptIds, options, cancellationToken);
    }

    /// <summary>Checks a request before any forward runs: valid options, a non-empty prompt that fits the context, ids in the vocabulary.</summary>
    /// <exception cref="HanlinException"><c>context_length_exceeded</c> or <c>invalid_argument</c>.</exception>
    internal static void Validate(LlamaModel model, IReadOnlyList<int> promptIds, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var config = model.Config;
        if (promptIds.Count == 0)
        {
            throw new ArgumentException("The prompt must hold at least one token (for llama2.c models, BOS).", nameof(promptIds));
        }

        if (promptIds.Count > config.MaxSequenceLength)
        {
            throw new HanlinException(
                ErrorCodes.ContextLengthExceeded,
                $"The prompt has {promptIds.Count} tokens but model '{model.Source}' has a context of {config.MaxSequenceLength}; it is not truncated.");
        }

        foreach (var id in promptIds)
        {
            if ((uint)id >= (uint)config.VocabSize)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"Token id {id} is outside the vocabulary of {config.VocabSize} of model '{model.Source}'.");
            }
        }
    }

    private IEnumerable<int> Steps(IReadOnlyList<int> promptIds, GenerationOptions options, CancellationToken cancellationToken)
    {
        if (options.MaxNewTokens == 0)
        {
            yield break;
        }

        // The cache only ever needs prompt + new tokens - 1 positions (the last token is never fed back).
        var capacity = Math.Min(_model.Config.MaxSequenceLength, promptIds.Count + options.MaxNewTokens - 1);
        using var cache = _model.CreateCache(1, Math.Max(capacity, promptIds.Count));
        var sampler = new TokenSampler(options);
        sampler.ObservePrompt(promptIds);
        var position = 0;
        var next = Step(promptIds.Select(i => (long)i).ToArray(), ref position, cache, sampler);
        for (var produced = 0; ; )
        {
            if (options.StopTokenIds.Contains(next))
            {
                yield break;
            }

            yield return next;
            sampler.ObserveGenerated(next);
            produced++;
            cancellationToken.ThrowIfCancellationRequested();
            if (produced == options.MaxNewTokens || position == cache.MaxSequenceLength)
            {
                yield break;
            }

            next = Step([next], ref position, cache, sampler);
        }
    }

    private int[] BatchStep(long[] tokens, int seq, ref int position, KvCache cache, int[] padding, TokenSampler[] samplers, bool[] done)
    {
        using var scope = NewDisposeScope();
        var batch = samplers.Length;
        var logits = _model.Forward(tensor(tokens, batch, seq), position, cache, padding, lastPositionOnly: true); // [batch, 1, vocab]
        position += seq;
        var vocab = (int)logits.shape[^1];
        var values = logits.reshape(-1).data<float>().ToArray();
        var next = new int[batch];
        for (var b = 0; b < batch; b++)
        {
            if (done[b])
            {
                next[b] = (int)tokens[(b * seq) + seq - 1];
                continue;
            }

            var row = values.AsSpan(b * vocab, vocab).ToArray();
            if (Array.Exists(row, float.IsNaN))
            {
                throw new HanlinException(ErrorCodes.Internal, $"Model '{_model.Source}' produced NaN logits for sequence {b} at position {position - 1}.");
            }

            next[b] = samplers[b].Next(row);
        }

        return next;
    }

    private int Step(long[] tokens, ref int position, KvCache cache, TokenSampler sampler)
    {
        using var scope = NewDisposeScope();
        var input = tensor(tokens, 1, tokens.Length);                        // [1, seq]
        var logits = _model.Forward(input, position, cache, lastPositionOnly: true); // [1, 1, vocab]
        position += tokens.Length;
        var values = logits.reshape(-1).data<float>().ToArray();
        if (float.IsNaN(values[0]) || Array.Exists(values, float.IsNaN))
        {
            throw new HanlinException(ErrorCodes.Internal, $"Model '{_model.Source}' produced NaN logits at position {position - 1}.");
        }

        return sampler.Next(values);
    }
}
