namespace Hanlin.Training.Search;

/// <summary>
/// A univariate tree-structured Parzen estimator (Bergstra et al. 2011, as Optuna's default sampler without its
/// refinements): completed trials are split into the best <c>gamma</c> share and the rest; for each hyperparameter a
/// density of the good values l(x) and of the others g(x) is built (Gaussian kernels on log learning rate, smoothed
/// counts on the lists); candidates are drawn from l and the one with the highest l(x)/g(x) is proposed.
/// Hand-written because no .NET package offers TPE; it is short and the tests check it beats random search.
/// </summary>
internal sealed class TpeSampler(SearchSpace space, SearchOptions options)
{
    public TrialParameters Propose(IReadOnlyList<TrialRecord> completed, Random random)
    {
        var ordered = options.Goal == MetricGoal.Minimize
            ? completed.OrderBy(t => t.Metric).ThenBy(t => t.Number).ToList()
            : completed.OrderByDescending(t => t.Metric).ThenBy(t => t.Number).ToList();
        var goodCount = Math.Max(1, (int)Math.Ceiling(options.TpeGamma * ordered.Count));
        var good = ordered.Take(goodCount).Select(t => t.Parameters).ToList();
        var bad = ordered.Skip(goodCount).Select(t => t.Parameters).ToList();
        var low = Math.Log(space.LearningRateMin);
        var high = Math.Log(space.LearningRateMax);

        TrialParameters? best = null;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < options.TpeCandidates; c++)
        {
            var logLr = SampleContinuous(good.Select(p => Math.Log(p.LearningRate)).ToList(), low, high, random);
            var rank = SampleCategorical(space.Ranks, good.Select(p => p.Rank).ToList(), random);
            var alpha = SampleCategorical(space.Alphas, good.Select(p => p.Alpha).ToList(), random);
            var epochs = SampleCategorical(space.Epochs, good.Select(p => p.Epochs).ToList(), random);

            // log l(x) - log g(x), summed over the independent dimensions.
            var score =
                Math.Log(ContinuousDensity(logLr, good.Select(p => Math.Log(p.LearningRate)).ToList(), low, high))
                - Math.Log(ContinuousDensity(logLr, bad.Select(p => Math.Log(p.LearningRate)).ToList(), low, high))
                + Math.Log(CategoricalProbability(space.Ranks, good.Select(p => p.Rank).ToList(), rank))
                - Math.Log(CategoricalProbability(space.Ranks, bad.Select(p => p.Rank).ToList(), rank))
                + Math.Log(CategoricalProbability(space.Alphas, good.Select(p => p.Alpha).ToList(), alpha))
                - Math.Log(CategoricalProbability(space.Alphas, bad.Select(p => p.Alpha).ToList(), alpha))
                + Math.Log(CategoricalProbability(space.Epochs, good.Select(p => p.Epochs).ToList(), epochs))
                - Math.Log(CategoricalProbability(space.Epochs, bad.Select(p => p.Epochs).ToList(), epochs));
            if (score > bestScore)
            {
                bestScore = score;
                best = new TrialParameters(Math.Exp(logLr), rank, alpha, epochs);
            }
        }

        return best!;
    }

    // Classic TPE kernels (Bergstra et al.): each point's width is its larger distance to a neighbour (the bounds count
    // as neighbours), clipped to [range / min(100, n + 1), range], so kernels narrow where good points cluster.
    private static (double Mu, double Sigma)[] Kernels(List<double> points, double low, double high)
    {
        var sorted = points.Order().ToArray();
        var range = high - low;
        var minimum = range / Math.Min(100, sorted.Length + 1);
        var kernels = new (double, double)[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            var left = i == 0 ? low : sorted[i - 1];
            var right = i == sorted.Length - 1 ? high : sorted[i + 1];
            kernels[i] = (sorted[i], Math.Clamp(Math.Max(sorted[i] - left, right - sorted[i]), minimum, range));
        }

        return kernels;
    }

    private static double SampleContinuous(List<double> points, double low, double high, Random random)
    {
        if (high <= low)
        {
            return low;
        }

        // The mixture has the points' kernels plus one uniform prior component over the range. Draws outside the
        // range are redrawn rather than clamped: clamping would pile candidates onto the bounds.
        var kernels = Kernels(points, low, high);
        var pick = random.Next(kernels.Length + 1);
        if (pick < kernels.Length)
        {
            for (var attempt = 0; attempt < 16; attempt++)
            {
                var value = kernels[pick].Mu + (kernels[pick].Sigma * Gaussian(random));
                if (value >= low && value <= high)
                {
                    return value;
                }
            }
        }

        return low + (random.NextDouble() * (high - low));
    }

    private static double ContinuousDensity(double x, List<double> points, double low, double high)
    {
        if (high <= low)
        {
            return 1;
        }

        var density = 1 / (high - low); // the uniform prior component
        foreach (var (mu, sigma) in Kernels(points, low, high))
        {
            var z = (x - mu) / sigma;
            density += Math.Exp(-0.5 * z * z) / (sigma * Math.Sqrt(2 * Math.PI));
        }

        return density / (points.Count + 1);
    }

    // Counts of the observed values plus one pseudo-count per value (the prior), so nothing has probability zero.
    private static double CategoricalProbability<T>(IReadOnlyList<T> values, List<T> observed, T value) =>
        (observed.Count(o => EqualityComparer<T>.Default.Equals(o, value)) + 1.0) / (observed.Count + values.Count);

    private static T SampleCategorical<T>(IReadOnlyList<T> values, List<T> observed, Random random)
    {
        var u = random.NextDouble();
        var cumulative = 0.0;
        foreach (var value in values)
        {
            cumulative += CategoricalProbability(values, observed, value);
            if (u < cumulative)
            {
                return value;
            }
        }

        return values[^1];
    }

    // Box-Muller: one standard normal draw from two uniforms.
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
