namespace Hanlin.Training.Jobs;

/// <summary>Records what a running job does, so clients can follow it (<c>/events</c>, <c>/checkpoints</c>).</summary>
public interface IFineTuneReporter
{
    /// <summary>A human-readable event; <paramref name="level"/> is <c>info</c>, <c>warn</c> or <c>error</c>.</summary>
    Task MessageAsync(string message, string level = "info", CancellationToken cancellationToken = default);

    /// <summary>The metrics of a step (a <c>metrics</c> event whose data is <paramref name="metrics"/> plus the step).</summary>
    Task MetricsAsync(long step, IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken = default);

    /// <summary>A checkpoint written (atomically, before this call) to <paramref name="directory"/> after <paramref name="step"/>.</summary>
    Task CheckpointAsync(long step, IReadOnlyDictionary<string, double> metrics, string directory, CancellationToken cancellationToken = default);
}
