using Hanlin.Core.Errors;
using Hanlin.Training.Search;

namespace Hanlin.Training.Tests.Search;

public sealed class HyperparameterSearchTests
{
    private static readonly SearchSpace Space = new()
    {
        LearningRateMin = 1e-5,
        LearningRateMax = 1e-2,
        LearningRateSteps = 4,
        Ranks = [4, 8, 16, 32],
        Alphas = [8, 16, 32, 64],
        Epochs = [1, 2, 3],
    };

    // A synthetic validation loss with its optimum at lr = 10^-3.5, r = 8, alpha = 2r, 3 epochs; smooth in log lr.
    private static double Loss(TrialParameters p) =>
        1 + Math.Pow(Math.Log10(p.LearningRate) + 3.5, 2) + (Math.Pow(Math.Log2(p.Rank) - 3, 2) / 4) + Math.Pow(Math.Log2(p.Alpha / p.Rank) - 1, 2) + (0.1 * Math.Abs(p.Epochs - 3));

    private static Task<TrialResult> Objective(TrialParameters p, CancellationToken cancellationToken) => Task.FromResult(new TrialResult(Loss(p)));

    [Fact]
    public async Task A_grid_tries_every_combination_with_log_spaced_learning_rates_and_keeps_the_lowest_loss()
    {
        var outcome = await HyperparameterSearch.RunAsync(Space, new SearchOptions { Strategy = SearchStrategy.Grid, MaxTrials = 1000 }, Objective, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(4 * 4 * 4 * 3, outcome.Trials.Count);
        Assert.Equal(outcome.Trials.Count, outcome.Trials.Select(t => t.Parameters).Distinct().Count());
        var rates = outcome.Trials.Select(t => t.Parameters.LearningRate).Distinct().Order().ToList();
        Assert.Equal([1e-5, 1e-4, 1e-3, 1e-2], rates.Select(r => Math.Round(r, 12)));
        var expected = outcome.Trials.MinBy(t => Loss(t.Parameters))!;
        Assert.Equal(expected.Parameters, outcome.Best!.Parameters);
        Assert.Equal(new TrialParameters(outcome.Best.Parameters.LearningRate, 8, 16, 3), outcome.Best.Parameters);
    }

    [Fact]
    public async Task Random_search_is_reproducible_for_a_seed_and_stays_inside_the_space()
    {
        var options = new SearchOptions { Strategy = SearchStrategy.Random, MaxTrials = 30, Seed = 7 };

        var first = await HyperparameterSearch.RunAsync(Space, options, Objective, cancellationToken: TestContext.Current.CancellationToken);
        var again = await HyperparameterSearch.RunAsync(Space, options, Objective, cancellationToken: TestContext.Current.CancellationToken);
        var other = await HyperparameterSearch.RunAsync(Space, options with { Seed = 8 }, Objective, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(first.Trials.Select(t => t.Parameters), again.Trials.Select(t => t.Parameters));
        Assert.NotEqual(first.Trials.Select(t => t.Parameters), other.Trials.Select(t => t.Parameters));
        Assert.All(first.Trials, t => Assert.InRange(t.Parameters.LearningRate, 1e-5, 1e-2));

        // Log-uniform: about a third of 30 draws per decade, so every decade is visited.
        Assert.All(new[] { -5, -4, -3 }, d => Assert.Contains(first.Trials, t => Math.Floor(Math.Log10(t.Parameters.LearningRate)) == d));
    }

    [Fact]
    public async Task Tpe_finds_a_lower_loss_than_random_search_with_the_same_budget()
    {
        double tpe = 0;
        double random = 0;
        for (var seed = 1; seed <= 5; seed++)
        {
            var options = new SearchOptions { MaxTrials = 30, Seed = seed, TpeStartupTrials = 8 };
            tpe += (await HyperparameterSearch.RunAsync(Space, options with { Strategy = SearchStrategy.Tpe }, Objective, cancellationToken: TestContext.Current.CancellationToken)).Best!.Metric!.Value;
            random += (await HyperparameterSearch.RunAsync(Space, options with { Strategy = SearchStrategy.Random }, Objective, cancellationToken: TestContext.Current.CancellationToken)).Best!.Metric!.Value;
        }

        Assert.True(tpe < random, $"mean best loss: TPE {tpe / 5:F3}, random {random / 5:F3}");
    }

    [Fact]
    public async Task An_interrupted_search_resumes_from_its_log_without_rerunning_finished_trials()
    {
        using var dir = new TempDirectory();
        var options = new SearchOptions { Strategy = SearchStrategy.Tpe, MaxTrials = 12, Seed = 3, TpeStartupTrials = 4, LogPath = dir.File("search.json") };
        var uninterrupted = await HyperparameterSearch.RunAsync(Space, options with { LogPath = null }, Objective, cancellationToken: TestContext.Current.CancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var calls = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => HyperparameterSearch.RunAsync(Space, options, (p, ct) =>
        {
            if (++calls == 6)
            {
                stop.Cancel();
                ct.ThrowIfCancellationRequested();
            }

            return Objective(p, ct);
        }, cancellationToken: stop.Token));
        var logged = await SearchLog.ReadAsync(options.LogPath!, TestContext.Current.CancellationToken);
        Assert.Equal(5, logged!.Trials.Count);

        var resumedCalls = new List<TrialParameters>();
        var resumed = await HyperparameterSearch.RunAsync(Space, options, (p, ct) =>
        {
            resumedCalls.Add(p);
            return Objective(p, ct);
        }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(7, resumedCalls.Count);
        Assert.Equal(uninterrupted.Trials.Select(t => t.Parameters), resumed.Trials.Select(t => t.Parameters));
        Assert.Equal(uninterrupted.Best!.Parameters, resumed.Best!.Parameters);
        Assert.Equal(12, (await SearchLog.ReadAsync(options.LogPath!, TestContext.Current.CancellationToken))!.Trials.Count);
    }

    [Fact]
    public async Task A_failing_trial_is_recorded_with_its_error_and_the_search_goes_on()
    {
        using var dir = new TempDirectory();
        var options = new SearchOptions { Strategy = SearchStrategy.Grid, MaxTrials = 6, LogPath = dir.File("log.json") };

        var outcome = await HyperparameterSearch.RunAsync(Space, options, (p, ct) =>
            p.LearningRate > 5e-3 ? throw new InvalidOperationException("loss is NaN at step 3")
            : p.LearningRate < 5e-5 ? Task.FromResult(new TrialResult(double.NaN))
            : Objective(p, ct), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(6, outcome.Trials.Count);
        var failed = outcome.Trials.Where(t => t.Status == TrialStatus.Failed).ToList();
        Assert.Equal(3, failed.Count);
        Assert.Contains(failed, t => t.Error == "loss is NaN at step 3");
        Assert.All(failed, t => Assert.Null(t.Metric));
        Assert.Equal(TrialStatus.Completed, outcome.Best!.Status);
        var json = await File.ReadAllTextAsync(options.LogPath!, TestContext.Current.CancellationToken);
        Assert.Contains("\"status\": \"failed\"", json, StringComparison.Ordinal);
        Assert.Contains("\"duration_seconds\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patience_stops_the_search_after_trials_without_improvement_and_maximising_keeps_the_highest()
    {
        var values = new Queue<double>([0.5, 0.7, 0.6, 0.65, 0.4, 0.9, 0.95]);

        var outcome = await HyperparameterSearch.RunAsync(
            Space,
            new SearchOptions { Strategy = SearchStrategy.Random, MaxTrials = 7, Goal = MetricGoal.Maximize, MetricName = "accuracy", Patience = 3 },
            (p, ct) => Task.FromResult(new TrialResult(values.Dequeue())),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(outcome.StoppedEarly);
        Assert.Equal(5, outcome.Trials.Count);
        Assert.Equal(0.7, outcome.Best!.Metric);
    }

    [Fact]
    public async Task A_log_of_another_search_is_refused_rather_than_mixed_in()
    {
        using var dir = new TempDirectory();
        var options = new SearchOptions { MaxTrials = 2, Seed = 1, LogPath = dir.File("log.json") };
        await HyperparameterSearch.RunAsync(Space, options, Objective, cancellationToken: TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<HanlinException>(() =>
            HyperparameterSearch.RunAsync(Space, options with { Seed = 2 }, Objective, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Contains("another search", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_list_in_the_space_is_refused()
    {
        var error = await Assert.ThrowsAsync<HanlinException>(() =>
            HyperparameterSearch.RunAsync(Space with { Ranks = [] }, new SearchOptions(), Objective, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
    }
}
