using Hanlin.Core.Errors;
using Hanlin.Models.Gguf;

namespace Hanlin.Models.Tokenization;

/// <summary>Reads llama.cpp's <c>tokenizer.ggml.*</c> metadata into a <see cref="TokenizerVocabulary"/>.</summary>
internal static class GgufTokenizerMetadata
{
    public static TokenizerVocabulary Read(GgufFile file)
    {
        var model = file.GetString("tokenizer.ggml.model")
            ?? throw new HanlinException(ErrorCodes.UnsupportedModel, $"GGUF file '{file.Path}' has no tokenizer (tokenizer.ggml.model is missing).");
        var tokens = file.GetArray<string>("tokenizer.ggml.tokens")
            ?? throw new HanlinException(ErrorCodes.CorruptFile, $"GGUF file '{file.Path}' has tokenizer model '{model}' but no tokenizer.ggml.tokens.");
        var kinds = new TokenKind[tokens.Length];
        var types = file.GetArray<int>("tokenizer.ggml.token_type");
        if (types is not null && types.Length != tokens.Length)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"GGUF file '{file.Path}' has {tokens.Length} tokens but {types.Length} token types.");
        }

        for (var i = 0; i < kinds.Length; i++)
        {
            kinds[i] = types is null ? TokenKind.Normal : (TokenKind)types[i];
        }

        var scores = file.GetArray<float>("tokenizer.ggml.scores");
        if (scores is not null && scores.Length != tokens.Length)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"GGUF file '{file.Path}' has {tokens.Length} tokens but {scores.Length} scores.");
        }

        int? Id(string key)
        {
            var value = file.GetInteger("tokenizer.ggml." + key);
            return value is null ? null
                : value >= 0 && value < tokens.Length ? (int)value
                : throw new HanlinException(ErrorCodes.CorruptFile, $"GGUF file '{file.Path}' has tokenizer.ggml.{key} = {value}, outside its {tokens.Length} tokens.");
        }

        var isSpm = model == "llama";
        var isBert = model == "bert";
        if (isBert)
        {
            tokens = [.. tokens.Select(FromPhantomSpace)];
        }
        return new TokenizerVocabulary
        {
            Source = file.Path,
            Model = model,
            PreTokenizer = file.GetString("tokenizer.ggml.pre"),
            Tokens = tokens,
            Kinds = kinds,
            Scores = scores,
            Merges = file.GetArray<string>("tokenizer.ggml.merges") ?? [],
            BosId = Id("bos_token_id"),
            EosId = Id("eos_token_id"),
            UnknownId = Id("unknown_token_id"),
            SeparatorId = Id("seperator_token_id"), // sic: llama.cpp's key
            PaddingId = Id("padding_token_id"),
            ClassifierId = Id("cls_token_id") ?? (isBert ? Id("bos_token_id") : null),
            MaskId = Id("mask_token_id"),
            EndOfTurnIds = new[] { Id("eot_token_id"), Id("eom_token_id") }.OfType<int>().ToArray(),
            // llama.cpp's defaults when the keys are absent: SPM and WPM add BOS/CLS, BPE does not.
            AddBos = file.GetBool("tokenizer.ggml.add_bos_token") ?? (isSpm || isBert),
            AddEos = file.GetBool("tokenizer.ggml.add_eos_token") ?? isBert,
            AddSpacePrefix = file.GetBool("tokenizer.ggml.add_space_prefix") ?? isSpm,
        };
    }

    /// <summary>
    /// Undoes llama.cpp's BERT conversion (convert_hf_to_gguf.py <c>phantom</c>): word-initial pieces were stored
    /// with a leading <c>▁</c>, continuation pieces without their <c>##</c>, bracketed specials unchanged.
    /// </summary>
    private static string FromPhantomSpace(string piece) =>
        piece.StartsWith('[') && piece.EndsWith(']') ? piece
        : piece.StartsWith('\u2581') ? piece[1..]
        : "##" + piece;
}
