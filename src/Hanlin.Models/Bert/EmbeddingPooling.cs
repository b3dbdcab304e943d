namespace Hanlin.Models.Bert;

/// <summary>How token states become one text embedding.</summary>
public enum EmbeddingPooling
{
    /// <summary>Average of the states of the real (unpadded) tokens, special tokens included (e5, sentence-transformers' mean).</summary>
    Mean,

    /// <summary>The state of the first token, <c>[CLS]</c> (bge).</summary>
    Cls,
}
