namespace Hanlin.Models.Tokenization;

/// <summary>
/// Everything a tokenizer needs, independent of where it came from (GGUF metadata or a Hugging Face
/// <c>tokenizer.json</c>): pieces with their kinds and scores, BPE merges, special ids and the sequence conventions.
/// </summary>
internal sealed class TokenizerVocabulary
{
    /// <summary>Where it was read from, for error messages.</summary>
    public required string Source { get; init; }

    /// <summary>llama.cpp model name: <c>gpt2</c> (byte-level BPE), <c>llama</c> (SentencePiece BPE), <c>bert</c> (WordPiece).</summary>
    public required string Model { get; init; }

    /// <summary>llama.cpp pre-tokenizer name (<c>tokenizer.ggml.pre</c>), or null for the model's default.</summary>
    public string? PreTokenizer { get; init; }

    /// <summary>Explicit byte-level split regexes (from a tokenizer.json), overriding <see cref="PreTokenizer"/>.</summary>
    public IReadOnlyList<string>? PreTokenizerPatterns { get; init; }

    /// <summary>Pieces by id.</summary>
    public required string[] Tokens { get; init; }

    /// <summary>Per-piece kind.</summary>
    public required TokenKind[] Kinds { get; init; }

    /// <summary>SentencePiece scores by id (higher merges first), or null.</summary>
    public float[]? Scores { get; init; }

    /// <summary>BPE merges as <c>"left right"</c>, highest priority first (empty for other models).</summary>
    public IReadOnlyList<string> Merges { get; init; } = [];

    /// <summary>BOS id, or null.</summary>
    public int? BosId { get; init; }

    /// <summary>EOS id, or null.</summary>
    public int? EosId { get; init; }

    /// <summary>Unknown-token id, or null.</summary>
    public int? UnknownId { get; init; }

    /// <summary>Separator id (BERT [SEP]), or null.</summary>
    public int? SeparatorId { get; init; }

    /// <summary>Padding id, or null.</summary>
    public int? PaddingId { get; init; }

    /// <summary>Classifier id (BERT [CLS]), or null.</summary>
    public int? ClassifierId { get; init; }

    /// <summary>Mask id (BERT [MASK]), or null.</summary>
    public int? MaskId { get; init; }

    /// <summary>Whether a sequence starts with BOS when special tokens are added.</summary>
    public bool AddBos { get; init; }

    /// <summary>Whether a sequence ends with EOS when special tokens are added.</summary>
    public bool AddEos { get; init; }

    /// <summary>SentencePiece's dummy prefix: a space before the text (and after each special token).</summary>
    public bool AddSpacePrefix { get; init; } = true;

    /// <summary>WordPiece: lower-case and strip accents before splitting (BERT uncased).</summary>
    public bool LowerCase { get; init; } = true;

    /// <summary>Added tokens that swallow whitespace on their left (<c>lstrip</c>) or right (<c>rstrip</c>), from tokenizer.json.</summary>
    public IReadOnlyDictionary<int, (bool Left, bool Right)> StripWhitespace { get; init; } = new Dictionary<int, (bool, bool)>();

    /// <summary>Explicit end-of-turn/end-of-message ids (GGUF <c>tokenizer.ggml.eot_token_id</c>/<c>eom_token_id</c>).</summary>
    public IReadOnlyList<int> EndOfTurnIds { get; init; } = [];

    /// <summary>Ids of the control tokens (BOS, EOS, chat markers …), which decoding can skip.</summary>
    public IReadOnlySet<int> ControlTokenIds() =>
        Kinds.Select((kind, id) => (kind, id)).Where(t => t.kind == TokenKind.Control).Select(t => t.id).ToHashSet();

    /// <summary>
    /// EOS, explicit end-of-turn ids, and control tokens whose text llama.cpp (llama-vocab.cpp) treats as end of
    /// generation, so a chat model stops at the end of its turn even when EOS is a different token.
    /// </summary>
    public IReadOnlySet<int> StopTokenIds()
    {
        string[] names = ["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>", "<|end_of_text|>"];
        var stops = new HashSet<int>(EndOfTurnIds);
        if (EosId is { } eos)
        {
            stops.Add(eos);
        }

        for (var id = 0; id < Tokens.Length; id++)
        {
            if (Kinds[id] is TokenKind.Control or TokenKind.UserDefined && names.Contains(Tokens[id], StringComparer.Ordinal))
            {
                stops.Add(id);
            }
        }

        return stops;
    }

    /// <summary>Ids of pieces to match verbatim in text before the model runs: control (when parsing special tokens) and user-defined ones.</summary>
    public IEnumerable<int> AddedTokenIds() => Enumerable.Range(0, Tokens.Length)
        .Where(i => Kinds[i] is TokenKind.Control or TokenKind.UserDefined && Tokens[i].Length > 0);
}
