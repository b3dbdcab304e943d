using System.Runtime.CompilerServices;
using Hanlin.Rag.Answers;
using Hanlin.Retrieval;

namespace Hanlin.Server.Tests;

/// <summary>
/// An answerer that sends its sources and one delta, then waits until cancelled and records it: a slow
/// generation whose only job is to show whether the server passes the client's disconnect on.
/// </summary>
internal sealed class GatedAnswerer : IKnowledgeAnswerer
{
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<RagAnswer> AskAsync(AskRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Only streaming is exercised.");

    public async IAsyncEnumerable<AnswerUpdate> AskStreamingAsync(AskRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new AnswerUpdate { Citations = [new Citation(1, "chk_1", "doc_1", "a.md", 1, null, null, "A", 0, 10, "snippet", 1)] };
        yield return new AnswerUpdate { Delta = "The answer is being written" };
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Cancelled.TrySetResult();
            throw;
        }

        yield return new AnswerUpdate { Completed = new RagAnswer("never", [], [], false, "en", AnswerMethod.Extractive, RetrievalMode.Bm25, new AnswerUsage(0, 0), null) };
    }
}
