namespace Hanlin.Retrieval.Tests.Vectors;

/// <summary>Seeded synthetic vectors for index tests.</summary>
internal static class RandomVectors
{
    /// <summary>
    /// Embedding-like vectors: a Gaussian point in a <paramref name="rank"/>-dimensional latent space mapped
    /// into <paramref name="dimensions"/> by a fixed random basis, plus small isotropic noise. Sentence
    /// embeddings have low intrinsic dimension like this; isotropic noise in 384 dimensions has none, and
    /// makes every graph index look worse than it does on real data.
    /// </summary>
    public static float[][] LowRank(int count, int dimensions, int seed, int rank = 24)
    {
        var basis = Make(rank, dimensions, seed: 99);
        var latent = Make(count, rank, seed);
        var noise = Make(count, dimensions, seed + 1_000);
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var v = new float[dimensions];
            for (var r = 0; r < rank; r++)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(basis[r], latent[i][r], v, v);
            }

            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(noise[i], 0.5f, v, v);
            vectors[i] = v;
        }

        return vectors;
    }

    /// <summary>Isotropic Gaussian vectors: every direction equally likely.</summary>
    public static float[][] Make(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var v = new float[dimensions];
            for (var d = 0; d < dimensions; d++)
            {
                // Box-Muller.
                v[d] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            }

            vectors[i] = v;
        }

        return vectors;
    }
}
