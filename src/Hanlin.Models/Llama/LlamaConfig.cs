using Hanlin.Core.Errors;

namespace Hanlin.Models.Llama;

/// <summary>Shape and numeric constants of a Llama-architecture decoder.</summary>
/// <param name="Dim">Model (residual stream) width.</param>
/// <param name="HiddenDim">SwiGLU inner width.</param>
/// <param name="Layers">Number of decoder blocks.</param>
/// <param name="Heads">Query heads.</param>
/// <param name="KvHeads">Key/value heads; fewer than <paramref name="Heads"/> means grouped-query attention.</param>
/// <param name="VocabSize">Vocabulary size.</param>
/// <param name="MaxSequenceLength">Context length in tokens (positions 0..MaxSequenceLength-1).</param>
public sealed record LlamaConfig(int Dim, int HiddenDim, int Layers, int Heads, int KvHeads, int VocabSize, int MaxSequenceLength)
{
    /// <summary>RMSNorm epsilon added to the mean square (llama2.c: 1e-5).</summary>
    public float NormEpsilon { get; init; } = 1e-5f;

    /// <summary>RoPE base θ (llama2.c and Llama 2: 10000).</summary>
    public float RopeTheta { get; init; } = 10000f;

    /// <summary>Pairing of head dimensions for RoPE; must match how the checkpoint stores q/k.</summary>
    public RopeLayout RopeLayout { get; init; } = RopeLayout.InterleavedPairs;

    /// <summary>Llama-3 frequency-dependent RoPE scaling, or null for plain RoPE.</summary>
    public Llama3RopeScaling? RopeScaling { get; init; }

    /// <summary>
    /// Per-pair RoPE frequency divisors (<c>HeadDim / 2</c> of them; pair j turns at θ^(−2j/headDim) / factor[j]), as
    /// GGUF files of Llama-3.1-style models carry them in <c>rope_freqs.weight</c>; null for none. Applied after
    /// <see cref="RopeScaling"/>, though a file carries one or the other.
    /// </summary>
    public IReadOnlyList<float>? RopeFrequencyFactors { get; init; }

    /// <summary>Whether the query, key and value projections add a bias (Qwen2; Llama with <c>attention_bias</c>).</summary>
    public bool AttentionBias { get; init; }

    /// <summary>Whether the classifier reuses the token embedding matrix.</summary>
    public bool TiedClassifier { get; init; } = true;

    /// <summary>Width of one attention head.</summary>
    public int HeadDim => Dim / Heads;

    /// <summary>Width of all key (or value) heads together.</summary>
    public int KvDim => KvHeads * HeadDim;

    /// <summary>Throws <c>corrupt_file</c> naming <paramref name="source"/> when the numbers cannot describe a model.</summary>
    public void Validate(string source)
    {
        string? problem = null;
        if (Dim <= 0 || HiddenDim <= 0 || Layers <= 0 || Heads <= 0 || KvHeads <= 0 || VocabSize <= 0 || MaxSequenceLength <= 0)
        {
            problem = "a dimension is zero or negative";
        }
        else if (Dim % Heads != 0)
        {
            problem = $"dim {Dim} is not a multiple of {Heads} heads";
        }
        else if (Heads % KvHeads != 0)
        {
            problem = $"{Heads} heads are not a multiple of {KvHeads} key/value heads";
        }
        else if (HeadDim % 2 != 0)
        {
            problem = $"head dimension {HeadDim} is odd, which RoPE cannot rotate";
        }
        else if (Dim > 1 << 16 || HiddenDim > 1 << 18 || Layers > 1024 || VocabSize > 1 << 22 || MaxSequenceLength > 1 << 21)
        {
            problem = "a dimension is implausibly large";
        }

        if (problem is not null)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"Model '{source}' has an invalid configuration ({this}): {problem}.");
        }
    }
}
