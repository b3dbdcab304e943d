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
        ArgumentNullException.ThrowIfNull(promptIds);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var config = _model.Config;
        if (promptIds.Count == 0)
        {
            throw new ArgumentException("The prompt must hold at least one token (for llama2.c models, BOS).", nameof(promptIds));
        }

        if (promptIds.Count > config.MaxSequenceLength)
        {
            throw new HanlinException(
                ErrorCodes.ContextLengthExceeded,
                $"The prompt has {promptIds.Count} tokens but model '{_model.Source}' has a context of {config.MaxSequenceLength}; it is not truncated.");
        }

        foreach (var id in promptIds)
        {
            if ((uint)id >= (uint)config.VocabSize)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"Token id {id} is outside the vocabulary of {config.VocabSize} of model '{_model.Source}'.");
            }
        }

        return Steps(promptIds, options, cancellationToken);
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
