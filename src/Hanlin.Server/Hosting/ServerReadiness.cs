namespace Hanlin.Server.Hosting;

/// <summary>
/// Whether the store is open and the index synchronised. Requests to <c>/api</c> and <c>/v1</c> that arrive
/// earlier wait for it (so the port can open before the index is checked), <c>/readyz</c> reports it.
/// </summary>
public sealed class ServerReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when ready; faults when start-up failed.</summary>
    public Task Ready => _ready.Task;

    /// <summary>True once start-up succeeded.</summary>
    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>The start-up failure, or null.</summary>
    public Exception? Failure => _ready.Task.Exception?.InnerException;

    internal void MarkReady() => _ready.TrySetResult();

    internal void MarkFailed(Exception exception) => _ready.TrySetException(exception);
}
