namespace Hanlin.Training.FineTuning;

/// <summary>Encoded training sequences with what encoding did to them.</summary>
/// <param name="Examples">The sequences, in input order.</param>
/// <param name="Truncated">Examples longer than the maximum length (conversations cut, documents windowed).</param>
/// <param name="Dropped">Examples with no learnt token left after truncation, left out.</param>
public sealed record EncodedDataset(IReadOnlyList<EncodedExample> Examples, int Truncated, int Dropped)
{
    /// <summary>Tokens the loss is taken on, over all sequences.</summary>
    public long LabelTokens => Examples.Sum(e => (long)e.LabelTokens);
}
