using System.Diagnostics;
using Hanlin.Core.Errors;

namespace Hanlin.Training.Search;

/// <summary>
/// Grid, random or TPE search over learning rate (log scale), LoRA rank, alpha and epochs, generic over the trial: the
/// caller's function trains with the proposed parameters and returns the validation metric. Every trial is recorded
/// (parameters, metric, status, duration) to <see cref="SearchOptions.LogPath"/> as soon as it ends; rerunning the same
/// search with the same log skips the trials already recorded, so a search killed at any point resumes where it was.
/// Trial <c>n</c>'s parameters depend only on the seed, <c>n</c> and the results of trials before it, so a seed
/// reproduces the whole search. A trial that throws is recorded as failed and the search goes on; cancellation
/// stops the search without recording the interrupted trial.
/// </summary>
public static class HyperparameterSearch
{
    /// <summary>Runs the search.</summary>
    /// <exception cref="HanlinException"><c>invalid_argument</c> for a bad space or options, or a log written by another search.</exception>
    public static async Task<SearchOutcome> RunAsync(
        SearchSpace space,
        SearchOptions options,
        Func<TrialParameters, CancellationToken, Task<TrialResult>> trial,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trial);
        space.Validate();
        Validate(options);
        timeProvider ??= TimeProvider.System;
        var recorded = await ReadPreviousAsync(space, options, cancellationToken).ConfigureAwait(false);
        var grid = options.Strategy == SearchStrategy.Grid ? Grid(space) : null;
        var total = grid is null ? options.MaxTrials : Math.Min(options.MaxTrials, grid.Count);
        var tpe = new TpeSampler(space, options);
        var trials = new List<TrialRecord>();
        TrialRecord? best = null;
        var sinceImprovement = 0;
        var stoppedEarly = false;
        for (var n = 0; n < total; n++)
        {
            var parameters = grid is not null ? grid[n] : Propose(n, space, options, tpe, trials);
            var record = recorded.TryGetValue(n, out var previous) && previous.Parameters == parameters
                ? previous
                : await RunTrialAsync(n, parameters, trial, timeProvider, cancellationToken).ConfigureAwait(false);
            trials.Add(record);
            if (options.LogPath is not null && !ReferenceEquals(record, previous))
            {
                await new SearchLog(options.Strategy, options.Seed, options.Goal, options.MetricName, space.Describe(), trials)
                    .WriteAsync(options.LogPath, cancellationToken).ConfigureAwait(false);
            }

            if (record.Status != TrialStatus.Completed)
            {
                continue;
            }

            if (best is null || IsBetter(record.Metric!.Value, best.Metric!.Value, options.Goal))
            {
                best = record;
                sinceImprovement = 0;
            }
            else if (++sinceImprovement >= options.Patience)
            {
                stoppedEarly = n < total - 1;
                break;
            }
        }

        return new SearchOutcome(trials, best, stoppedEarly);
    }

    /// <summary>Every grid point in the order a grid search tries them: epochs, rank, alpha, then learning rate varying fastest.</summary>
    public static IReadOnlyList<TrialParameters> Grid(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        space.Validate();
        var rates = space.GridLearningRates();
        return [.. from e in space.Epochs from r in space.Ranks from a in space.Alphas from lr in rates select new TrialParameters(lr, r, a, e)];
    }

    private static TrialParameters Propose(int number, SearchSpace space, SearchOptions options, TpeSampler tpe, List<TrialRecord> history)
    {
        // One generator per trial, seeded from (seed, number): a proposal never depends on how many draws earlier
        // proposals made, so resumed and uninterrupted searches agree. (HashCode is randomised per process; this is not.)
        var random = new Random(unchecked((options.Seed * 1_000_003) ^ ((number * 7_919) + 0x5EA2C4)));
        var completed = history.Where(t => t.Status == TrialStatus.Completed).ToList();
        if (options.Strategy == SearchStrategy.Tpe && completed.Count >= Math.Max(1, options.TpeStartupTrials))
        {
            return tpe.Propose(completed, random);
        }

        var low = Math.Log(space.LearningRateMin);
        var high = Math.Log(space.LearningRateMax);
        return new TrialParameters(
            Math.Exp(low + (random.NextDouble() * (high - low))),
            space.Ranks[random.Next(space.Ranks.Count)],
            space.Alphas[random.Next(space.Alphas.Count)],
            space.Epochs[random.Next(space.Epochs.Count)]);
    }

    private static async Task<TrialRecord> RunTrialAsync(
        int number, TrialParameters parameters, Func<TrialParameters, CancellationToken, Task<TrialResult>> trial, TimeProvider time, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await trial(parameters, cancellationToken).ConfigureAwait(false);
            var seconds = clock.Elapsed.TotalSeconds;
            return double.IsFinite(result.Metric)
                ? new TrialRecord(number, parameters, TrialStatus.Completed, result.Metric, result.Metrics, result.Artifact, null, started, seconds)
                : new TrialRecord(number, parameters, TrialStatus.Failed, null, result.Metrics, result.Artifact, $"The trial reported a metric of {result.Metric}.", started, seconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A trial boundary: a diverging or crashing configuration is a result of the search, not its end.
            return new TrialRecord(number, parameters, TrialStatus.Failed, null, null, null, ex.Message, started, clock.Elapsed.TotalSeconds);
        }
    }

    private static async Task<Dictionary<int, TrialRecord>> ReadPreviousAsync(SearchSpace space, SearchOptions options, CancellationToken cancellationToken)
    {
        if (options.LogPath is null || await SearchLog.ReadAsync(options.LogPath, cancellationToken).ConfigureAwait(false) is not { } log)
        {
            return [];
        }

        if (log.Strategy != options.Strategy || log.Seed != options.Seed || log.Goal != options.Goal
            || !string.Equals(log.MetricName, options.MetricName, StringComparison.Ordinal)
            || !string.Equals(log.Space, space.Describe(), StringComparison.Ordinal))
        {
            throw new HanlinException(
                ErrorCodes.InvalidArgument,
                $"The search log '{options.LogPath}' records another search ({log.Strategy}, seed {log.Seed}, {log.Goal} {log.MetricName}, {log.Space}); use a new log file to start this one.");
        }

        return log.Trials.ToDictionary(t => t.Number);
    }

    private static bool IsBetter(double metric, double best, MetricGoal goal) => goal == MetricGoal.Minimize ? metric < best : metric > best;

    private static void Validate(SearchOptions options)
    {
        if (options.MaxTrials < 1)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"A search needs at least one trial, not {options.MaxTrials}.");
        }

        if (options.Patience is < 1)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"Search patience must be at least 1 trial, not {options.Patience}.");
        }

        if (options.TpeGamma is <= 0 or >= 1 || options.TpeCandidates < 1 || options.TpeStartupTrials < 0)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "TPE needs 0 < gamma < 1, at least one candidate and a non-negative number of start-up trials.");
        }
    }
}
