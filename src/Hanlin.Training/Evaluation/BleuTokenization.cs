namespace Hanlin.Training.Evaluation;

/// <summary>How BLEU splits text into tokens.</summary>
public enum BleuTokenization
{
    /// <summary><see cref="Chinese"/> when any reference contains CJK characters, else <see cref="Thirteen"/>.</summary>
    Auto,

    /// <summary>sacrebleu's default <c>13a</c> tokenizer (mteval-v13a): punctuation split off, except in numbers.</summary>
    Thirteen,

    /// <summary>Every CJK character is a token, the rest as <see cref="Thirteen"/> (like sacrebleu's <c>zh</c>).</summary>
    Chinese,

    /// <summary>Text is already tokenised: split on whitespace only.</summary>
    None,
}
