namespace Hanlin.Models.Generation;

/// <summary>Chooses the next token from one position's logits: argmax, or temperature/top-k/top-p sampling.</summary>
internal sealed class TokenSampler
{
    private readonly GenerationOptions _options;
    private readonly Random _random;

    public TokenSampler(GenerationOptions options)
    {
        _options = options;
        // Random(int) is the stable seeded algorithm across .NET versions, so seeded runs reproduce.
        _random = new Random(options.Seed ?? Random.Shared.Next());
    }

    public int Next(float[] logits)
    {
        if (_options.Temperature == 0f)
        {
            return ArgMax(logits);
        }

        // Candidates sorted by logit, descending; ties keep the lower id first.
        var order = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i).ToArray();
        var keep = _options.TopK > 0 ? Math.Min(_options.TopK, order.Length) : order.Length;
        var probabilities = new double[keep];
        var max = logits[order[0]];
        double sum = 0;
        for (var i = 0; i < keep; i++)
        {
            probabilities[i] = Math.Exp((logits[order[i]] - max) / _options.Temperature);
            sum += probabilities[i];
        }

        // Nucleus: the shortest prefix whose cumulative probability exceeds TopP (at least one token).
        var cumulative = 0.0;
        var cut = keep;
        for (var i = 0; i < keep; i++)
        {
            probabilities[i] /= sum;
            cumulative += probabilities[i];
            if (_options.TopP < 1f && cumulative > _options.TopP)
            {
                cut = i + 1;
                break;
            }
        }

        var mass = probabilities.AsSpan(0, cut).ToArray().Sum();
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
}
