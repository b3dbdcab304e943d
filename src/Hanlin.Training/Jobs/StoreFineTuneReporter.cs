using System.Text.Json;

namespace Hanlin.Training.Jobs;

/// <summary>Writes a job's events, step metrics and checkpoints to the <see cref="FineTuneStore"/>.</summary>
internal sealed class StoreFineTuneReporter(FineTuneStore store, string jobId) : IFineTuneReporter
{
    public Task MessageAsync(string message, string level = "info", CancellationToken cancellationToken = default) =>
        store.AddEventAsync(jobId, level, "message", message, null, cancellationToken);

    public Task MetricsAsync(long step, IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var text = string.Join(", ", metrics.Select(m => FormattableString.Invariant($"{m.Key} {m.Value:0.####}")));
        return store.AddEventAsync(jobId, "info", "metrics", $"Step {step}: {text}", Json(step, metrics), cancellationToken);
    }

    public async Task CheckpointAsync(long step, IReadOnlyDictionary<string, double> metrics, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        await store.AddCheckpointAsync(jobId, step, Json(step, metrics), directory, cancellationToken).ConfigureAwait(false);
        await store.AddEventAsync(jobId, "info", "message", $"Checkpoint written after step {step}.", null, cancellationToken).ConfigureAwait(false);
    }

    private static string Json(long step, IReadOnlyDictionary<string, double> metrics)
    {
        var data = new Dictionary<string, object> { ["step"] = step };
        foreach (var (name, value) in metrics)
        {
            // JSON has no NaN; a diverged metric is recorded as null rather than breaking the event log.
            data[name] = double.IsFinite(value) ? value : null!;
        }

        return JsonSerializer.Serialize(data);
    }
}
