using Hanlin.Core.Errors;

namespace Hanlin.Models.Bert;

/// <summary>Shape and numeric constants of a BERT encoder (absolute positions, token types, post-LayerNorm, GELU).</summary>
/// <param name="VocabSize">Vocabulary size.</param>
/// <param name="HiddenSize">Width of the residual stream.</param>
/// <param name="Layers">Encoder blocks.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="IntermediateSize">Feed-forward inner width.</param>
/// <param name="MaxPositions">Longest input in tokens, special tokens included.</param>
/// <param name="TypeVocabSize">Number of token types (segments).</param>
public sealed record BertConfig(int VocabSize, int HiddenSize, int Layers, int Heads, int IntermediateSize, int MaxPositions, int TypeVocabSize)
{
    /// <summary>LayerNorm epsilon (BERT: 1e-12).</summary>
    public float LayerNormEpsilon { get; init; } = 1e-12f;

    /// <summary>Token id used to pad shorter inputs of a batch (masked out of attention).</summary>
    public int PadTokenId { get; init; }

    /// <summary>Width of one attention head.</summary>
    public int HeadDim => HiddenSize / Heads;

    /// <summary>Throws <c>corrupt_file</c> naming <paramref name="source"/> when the numbers cannot describe a model.</summary>
    public void Validate(string source)
    {
        string? problem = null;
        if (VocabSize <= 0 || HiddenSize <= 0 || Layers <= 0 || Heads <= 0 || IntermediateSize <= 0 || MaxPositions <= 0 || TypeVocabSize <= 0)
        {
            problem = "a dimension is zero or negative";
        }
        else if (HiddenSize % Heads != 0)
        {
            problem = $"hidden size {HiddenSize} is not a multiple of {Heads} heads";
        }
        else if (HiddenSize > 1 << 16 || IntermediateSize > 1 << 18 || Layers > 1024 || VocabSize > 1 << 22 || MaxPositions > 1 << 20)
        {
            problem = "a dimension is implausibly large";
        }
        else if ((uint)PadTokenId >= (uint)VocabSize)
        {
            problem = $"pad token {PadTokenId} is outside the vocabulary";
        }

        if (problem is not null)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"Model '{source}' has an invalid configuration ({this}): {problem}.");
        }
    }
}
