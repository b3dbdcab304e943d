using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Hanlin.Training.Datasets;

/// <summary>
/// Deterministic train/validation/test split. An example's part depends only on its
/// <see cref="TrainingExample.ContentHash"/>, the salt and the ratios: SHA-256(salt, hash) read as a number in
/// [0, 1) is compared with the cumulative ratios. Adding or removing examples therefore never moves the others, and
/// exact duplicates always land in the same part (no leak from train into test). A new salt reshuffles everything.
/// </summary>
public static class DatasetSplitter
{
    /// <summary>The salt used when none is given.</summary>
    public const string DefaultSalt = "hanlin";

    /// <summary>The part <paramref name="example"/> belongs to.</summary>
    public static DatasetSplit Assign(TrainingExample example, SplitRatios ratios, string salt = DefaultSalt)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(ratios);
        ArgumentNullException.ThrowIfNull(salt);
        var position = Position(example.ContentHash(), salt);
        return position < ratios.Train ? DatasetSplit.Train
            : position < ratios.Train + ratios.Validation ? DatasetSplit.Validation
            : ratios.Test > 0 ? DatasetSplit.Test
            : ratios.Validation > 0 ? DatasetSplit.Validation : DatasetSplit.Train; // rounding at the top end
    }

    /// <summary>Splits <paramref name="examples"/>; each part keeps the input order.</summary>
    public static SplitResult Split(IEnumerable<TrainingExample> examples, SplitRatios? ratios = null, string salt = DefaultSalt)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ratios ??= SplitRatios.Default;
        var parts = new[] { new List<TrainingExample>(), new List<TrainingExample>(), new List<TrainingExample>() };
        foreach (var example in examples)
        {
            parts[(int)Assign(example, ratios, salt)].Add(example);
        }

        return new SplitResult(parts[0], parts[1], parts[2]);
    }

    private static double Position(string contentHash, string salt)
    {
        // The salt's length is prefixed so that ("ab", "c...") and ("a", "bc...") cannot collide.
        var input = Encoding.UTF8.GetBytes($"{salt.Length}:{salt}:{contentHash}");
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, digest);

        // The top 53 bits fill a double's mantissa exactly, giving a uniform value in [0, 1).
        return (BinaryPrimitives.ReadUInt64BigEndian(digest) >> 11) * (1.0 / (1UL << 53));
    }
}
