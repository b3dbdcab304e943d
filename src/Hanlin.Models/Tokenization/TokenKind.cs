namespace Hanlin.Models.Tokenization;

/// <summary>A vocabulary entry's role; values are llama.cpp's <c>tokenizer.ggml.token_type</c> tags.</summary>
public enum TokenKind
{
    /// <summary>Undefined (0); treated as normal.</summary>
    Undefined = 0,

    /// <summary>An ordinary piece produced by the model algorithm.</summary>
    Normal = 1,

    /// <summary>The unknown token.</summary>
    Unknown = 2,

    /// <summary>A control token (BOS, EOS, chat markers): matched in text only when special tokens are parsed.</summary>
    Control = 3,

    /// <summary>A user-defined added token: always matched in text as a whole.</summary>
    UserDefined = 4,

    /// <summary>Reserved, never produced.</summary>
    Unused = 5,

    /// <summary>A byte-fallback piece <c>&lt;0xHH&gt;</c>.</summary>
    Byte = 6,
}
