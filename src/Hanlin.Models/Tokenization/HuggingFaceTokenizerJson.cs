using Hanlin.Core.Errors;

namespace Hanlin.Models.Tokenization;

/// <summary>Reads a Hugging Face <c>tokenizer.json</c> (+ <c>tokenizer_config.json</c>) into a tokenizer.</summary>
internal static class HuggingFaceTokenizerJson
{
    public static ITextTokenizer Load(string path) =>
        throw new HanlinException(ErrorCodes.UnsupportedModel, $"Tokenizer '{path}': tokenizer.json is not supported yet.");
}
