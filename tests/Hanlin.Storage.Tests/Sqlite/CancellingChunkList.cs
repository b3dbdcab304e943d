using System.Collections;
using Hanlin.Core.Documents;

namespace Hanlin.Storage.Tests.Sqlite;

/// <summary>
/// Chunks that cancel a token when the store enumerates item <c>cancelAt</c>, i.e. in the middle of the
/// chunk inserts of a save: a deterministic stand-in for a user pressing Ctrl+C half-way.
/// </summary>
internal sealed class CancellingChunkList(IReadOnlyList<ChunkDraft> inner, int cancelAt, CancellationTokenSource cancellation) : IReadOnlyList<ChunkDraft>
{
    public bool Reached { get; private set; }

    public int Count => inner.Count;

    public ChunkDraft this[int index] => inner[index];

    public IEnumerator<ChunkDraft> GetEnumerator()
    {
        for (var i = 0; i < inner.Count; i++)
        {
            if (i == cancelAt)
            {
                Reached = true;
                cancellation.Cancel();
            }

            yield return inner[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
