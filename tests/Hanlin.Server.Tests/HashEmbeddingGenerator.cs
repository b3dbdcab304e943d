using Microsoft.Extensions.AI;

namespace Hanlin.Server.Tests;

/// <summary>A deterministic 8-dimension embedding (character-hash buckets), standing in for a configured embedding model.</summary>
internal sealed class HashEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 8;

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            var vector = new float[Dimensions];
            foreach (var c in value)
            {
                vector[c % Dimensions] += 1;
            }

            embeddings.Add(new Embedding<float>(vector));
        }

        embeddings.Usage = new UsageDetails { InputTokenCount = embeddings.Count, TotalTokenCount = embeddings.Count };
        return Task.FromResult(embeddings);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
