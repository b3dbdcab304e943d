namespace Hanlin.Models.Generation;

/// <summary>
/// Chooses the next token from one position's logits. Order of operations follows vLLM and Hugging Face:
/// penalties (repetition over prompt and output, presence/frequency over output), then greedy argmax, or
/// temperature, top-k, top-p and min-p followed by a seeded draw.
/// </summary>
internal sealed class TokenSampler
{
    private readonly GenerationOptions _options;
    private readonly Random _random;
    private readonly HashSet<int> _seen = [];
    private readonly Dictionary<int, int> _generatedCounts = [];

    public TokenSampler(GenerationOptions options)
    {
        _options = options;
        // Random(int) is the stable seeded algorithm across .NET versions, so seeded runs reproduce.
        _random = new Random(options.Seed ?? Random.Shared.Next());
    }

    /// <summary>Records the prompt, which the repetition penalty (but not presence/frequency) applies to.</summary>
    public void ObservePrompt(IEnumerable<int> promptIds)
    {
        if (_options.RepetitionPenalty != 1f)
        {
            _seen.UnionWith(promptIds);
        }
    }

    /// <summary>Records a generated token for the penalties.</summary>
    public void ObserveGenerated(int token)
    {
        if (_options.RepetitionPenalty != 1f)
        {
            _seen.Add(token);
        }

        if (_options.PresencePenalty != 0f || _options.FrequencyPenalty != 0f)
        {
            _generatedCounts[token] = _generatedCounts.GetValueOrDefault(token) + 1;
        }
    }

    /// <summary>Picks the next token; <paramref name="logits"/> is modified in place by the penalties.</summary>
    public int Next(float[] logits)
    {
        ApplyPenalties(logits);
        if (_options.Temperature == 0f)
        {
            return ArgMax(logits);
        }

        var order = Candidates(logits);
        var keep = order.Length;
        var probabilities = new double[keep];
        var max = logits[order[0]];
        double sum = 0;
        for (var i = 0; i < keep; i++)
        {
            probabilities[i] = Math.Exp((logits[order[i]] - max) / _options.Temperature);
            sum += probabilities[i];
        }

        // Nucleus: the shortest prefix whose cumulative probability exceeds TopP (at least one token).
        // Min-p: tokens below MinP times the top probability go (the top token always stays).
        var cumulative = 0.0;
        var cut = keep;
        var floor = _options.MinP * (probabilities[0] / sum);
        for (var i = 0; i < keep; i++)
        {
            probabilities[i] /= sum;
            if (i > 0 && probabilities[i] < floor)
            {
                cut = i;
                break;
            }

            cumulative += probabilities[i];
            if (_options.TopP < 1f && cumulative > _options.TopP)
            {
                cut = i + 1;
                break;
            }
        }

        double mass = 0;
        for (var i = 0; i < cut; i++)
        {
            mass += probabilities[i];
        }

        var coin = _random.NextDouble() * mass;
        for (var i = 0; i < cut; i++)
        {
            coin -= probabilities[i];
            if (coin < 0)
            {
                return order[i];
            }
        }

        return order[cut - 1];
    }

    internal static int ArgMax(ReadOnlySpan<float> logits)
    {
        // Strict '>' keeps the first maximum, as llama2.c's sample_argmax does.
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }

    private void ApplyPenalties(float[] logits)
    {
        var repetition = _options.RepetitionPenalty;
        if (repetition != 1f)
        {
            foreach (var token in _seen)
            {
                var value = logits[token];
                logits[token] = value > 0 ? value / repetition : value * repetition;
            }
        }

        foreach (var (token, count) in _generatedCounts)
        {
            logits[token] -= _options.PresencePenalty + (_options.FrequencyPenalty * count);
        }
    }

    // Token ids by descending logit (ties: lower id first), limited to TopK when set. A bounded heap keeps
    // top-k at O(V log k) instead of sorting a 150k vocabulary every step.
    private int[] Candidates(float[] logits)
    {
        var k = _options.TopK > 0 ? Math.Min(_options.TopK, logits.Length) : logits.Length;
        int[] order;
        if (k < logits.Length)
        {
            var heap = new PriorityQueue<int, (float Logit, int NegId)>(k + 1);
            for (var i = 0; i < logits.Length; i++)
            {
                heap.Enqueue(i, (logits[i], -i));
                if (heap.Count > k)
                {
                    heap.Dequeue();
                }
            }

            order = new int[k];
            for (var i = k - 1; i >= 0; i--)
            {
                order[i] = heap.Dequeue();
            }

            return order;
        }

        order = new int[logits.Length];
        var keys = new float[logits.Length];
        for (var i = 0; i < logits.Length; i++)
        {
            order[i] = i;
            keys[i] = -logits[i];
        }

        // Array.Sort is unstable; sorting (key, id) pairs keeps lower ids first on equal logits.
        Array.Sort(keys, order);
        var start = 0;
        while (start < keys.Length)
        {
            var end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(order, start, end - start);
            }

            start = end;
        }

        return order;
    }
}
