namespace Hanlin.Models.Llama;

/// <summary>How a head's dimensions are paired for the rotary position embedding.</summary>
public enum RopeLayout
{
    /// <summary>Adjacent pairs (0,1), (2,3), ... rotate together: llama2.c and Meta's original checkpoints.</summary>
    InterleavedPairs,

    /// <summary>Dimension i pairs with i + headDim/2 (<c>rotate_half</c>): Hugging Face Llama/Qwen2/Mistral, whose q/k weights are permuted to match.</summary>
    HalfSplit,
}
