namespace Hanlin.Models.Tokenization;

/// <summary>
/// Text ↔ token ids for one model's vocabulary. Implementations reproduce their reference tokenizer exactly
/// (Hugging Face <c>tokenizers</c> / llama.cpp / llama2.c), so the same text always yields the ids the model was trained on.
/// </summary>
public interface ITextTokenizer
{
    /// <summary>Number of ids (the model's embedding rows the tokenizer can produce).</summary>
    int VocabularySize { get; }

    /// <summary>Beginning-of-sequence id, or null when the vocabulary has none.</summary>
    int? BosTokenId { get; }

    /// <summary>End-of-sequence id, or null when the vocabulary has none.</summary>
    int? EosTokenId { get; }

    /// <summary>
    /// Ids that end a generation: EOS plus end-of-turn markers (<c>&lt;|eot_id|&gt;</c>, <c>&lt;|im_end|&gt;</c>,
    /// <c>&lt;|end|&gt;</c>, ...), found from GGUF <c>eot/eom_token_id</c> or by name as llama.cpp does.
    /// </summary>
    IReadOnlySet<int> StopTokenIds { get; }

    /// <summary>Ids of control/added special tokens (BOS, EOS, chat markers, ...); they decode to nothing when skipped.</summary>
    IReadOnlySet<int> SpecialTokenIds { get; }

    /// <summary>
    /// Encodes <paramref name="text"/>. <paramref name="addSpecialTokens"/> adds what the model expects around a
    /// sequence (BOS for Llama, [CLS]/[SEP] for BERT) as its configuration says. <paramref name="parseSpecialTokens"/>
    /// turns special-token text such as <c>&lt;|im_start|&gt;</c> into its id, as Hugging Face does; pass false for
    /// untrusted text so it cannot inject control tokens.
    /// </summary>
    int[] Encode(string text, bool addSpecialTokens = true, bool parseSpecialTokens = true);

    /// <summary>Decodes <paramref name="ids"/> to text; special tokens are written out unless <paramref name="skipSpecialTokens"/>.</summary>
    string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false);

    /// <summary>The vocabulary entry of <paramref name="id"/> as stored (e.g. <c>Ġthe</c>, <c>▁the</c>, <c>##ing</c>), or null when out of range.</summary>
    string? IdToToken(int id);

    /// <summary>The id of the vocabulary entry <paramref name="token"/> (stored form), or null when absent.</summary>
    int? TokenToId(string token);
}
