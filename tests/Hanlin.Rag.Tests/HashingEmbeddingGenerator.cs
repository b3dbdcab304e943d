using Hanlin.Retrieval.Analysis;
using Microsoft.Extensions.AI;

namespace Hanlin.Rag.Tests;

/// <summary>
/// A tiny deterministic embedding model for tests: analyzer terms hashed into a fixed number of
/// dimensions (the "hashing trick"), so texts sharing terms get similar vectors. Counts its calls.
/// </summary>
internal sealed class HashingEmbeddingGenerator(int dimensions = 64) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly HanlinAnalyzer _analyzer = new();

    public int Calls { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Calls++;
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            var vector = new float[dimensions];
            foreach (var term in _analyzer.Terms(value))
            {
                var hash = 17;
                foreach (var c in term)
                {
                    hash = unchecked((hash * 31) + c);
                }

                vector[(hash & int.MaxValue) % dimensions] += 1f;
            }

            // Keep empty texts valid (non-zero) for the index.
            vector[0] += 0.01f;
            embeddings.Add(new Embedding<float>(vector));
        }

        return Task.FromResult(embeddings);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() => _analyzer.Dispose();
}
