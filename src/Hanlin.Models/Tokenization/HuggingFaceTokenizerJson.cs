using System.Text.Json;
using Hanlin.Core.Errors;

namespace Hanlin.Models.Tokenization;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> (and <c>tokenizer_config.json</c> beside it, for BOS/EOS and
/// <c>add_bos_token</c>) into a <see cref="TokenizerVocabulary"/>: BPE with a ByteLevel pre-tokenizer becomes
/// byte-level BPE, BPE with byte fallback or a ▁ (Metaspace/Prepend) normaliser becomes SentencePiece BPE,
/// WordPiece becomes BERT WordPiece. Unigram and other models are reported as unsupported.
/// </summary>
internal static class HuggingFaceTokenizerJson
{
    private const char SpaceMarker = '\u2581';

    public static ITextTokenizer Load(string path)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            using var config = ReadConfig(path);
            return TokenizerLoader.Create(Read(json.RootElement, config?.RootElement, path));
        }
        catch (IOException ex)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"Tokenizer file '{path}' could not be read: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"Tokenizer file '{path}' is not a valid Hugging Face tokenizer.json: {ex.Message}", ex);
        }
    }

    private static JsonDocument? ReadConfig(string path)
    {
        var configPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "tokenizer_config.json");
        return File.Exists(configPath) ? JsonDocument.Parse(File.ReadAllBytes(configPath)) : null;
    }

    private static TokenizerVocabulary Read(JsonElement root, JsonElement? config, string path)
    {
        var model = root.GetProperty("model");
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : InferModelType(model);
        var vocab = model.GetProperty("vocab");
        var pieces = new Dictionary<int, string>();
        foreach (var entry in vocab.EnumerateObject())
        {
            pieces[entry.Value.GetInt32()] = entry.Name;
        }

        var added = new Dictionary<int, (string Content, bool Special)>();
        var strip = new Dictionary<int, (bool Left, bool Right)>();
        if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in addedTokens.EnumerateArray())
            {
                var id = token.GetProperty("id").GetInt32();
                var content = token.GetProperty("content").GetString()!;
                added[id] = (content, token.TryGetProperty("special", out var special) && special.GetBoolean());
                var left = token.TryGetProperty("lstrip", out var l) && l.ValueKind == JsonValueKind.True;
                var right = token.TryGetProperty("rstrip", out var r) && r.ValueKind == JsonValueKind.True;
                if (left || right)
                {
                    strip[id] = (left, right);
                }
                pieces[id] = content;
            }
        }

        var size = pieces.Count == 0 ? 0 : pieces.Keys.Max() + 1;
        var tokens = new string[size];
        var kinds = new TokenKind[size];
        for (var id = 0; id < size; id++)
        {
            tokens[id] = pieces.GetValueOrDefault(id, string.Empty);
            kinds[id] = !pieces.ContainsKey(id) ? TokenKind.Unused
                : added.TryGetValue(id, out var a) ? (a.Special ? TokenKind.Control : TokenKind.UserDefined)
                : IsByteToken(tokens[id]) ? TokenKind.Byte
                : TokenKind.Normal;
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < size; id++)
        {
            ids.TryAdd(tokens[id], id);
        }

        int? IdOf(string? piece) => piece is not null && ids.TryGetValue(piece, out var id) ? id : null;
        var unknown = model.TryGetProperty("unk_token", out var unk) && unk.ValueKind == JsonValueKind.String ? IdOf(unk.GetString()) : null;
        if (unknown is { } unknownId)
        {
            kinds[unknownId] = TokenKind.Unknown;
        }

        var (templateBos, templateEos) = ReadPostProcessor(root, ids);
        var bos = IdOf(ConfigToken(config, "bos_token")) ?? templateBos;
        var eos = IdOf(ConfigToken(config, "eos_token")) ?? templateEos;
        var addBos = ConfigBool(config, "add_bos_token") ?? templateBos is not null;
        var addEos = ConfigBool(config, "add_eos_token") ?? templateEos is not null;

        switch (type)
        {
            case "WordPiece":
                var normalizer = root.TryGetProperty("normalizer", out var n) ? n : default;
                var lowerCase = normalizer.ValueKind != JsonValueKind.Object || !normalizer.TryGetProperty("lowercase", out var lc) || lc.GetBoolean();
                return new TokenizerVocabulary
                {
                    Source = path,
                    Model = "bert",
                    Tokens = tokens,
                    StripWhitespace = strip,
                    Kinds = kinds,
                    UnknownId = unknown,
                    ClassifierId = IdOf(ConfigToken(config, "cls_token") ?? "[CLS]") ?? templateBos,
                    SeparatorId = IdOf(ConfigToken(config, "sep_token") ?? "[SEP]") ?? templateEos,
                    PaddingId = IdOf(ConfigToken(config, "pad_token") ?? "[PAD]"),
                    MaskId = IdOf(ConfigToken(config, "mask_token") ?? "[MASK]"),
                    BosId = bos,
                    EosId = eos,
                    AddBos = templateBos is not null || ConfigBool(config, "add_bos_token") == true,
                    AddEos = templateEos is not null || ConfigBool(config, "add_eos_token") == true,
                    LowerCase = lowerCase,
                };
            case "BPE":
                var merges = ReadMerges(model);
                var (byteLevel, patterns) = ReadPreTokenizer(root, path);
                var byteFallback = model.TryGetProperty("byte_fallback", out var bf) && bf.ValueKind == JsonValueKind.True;
                var metaspace = UsesMetaspace(root, out var prefixSpace);
                if (byteLevel)
                {
                    return new TokenizerVocabulary
                    {
                        Source = path,
                        Model = "gpt2",
                        Tokens = tokens,
                    StripWhitespace = strip,
                        Kinds = kinds,
                        Merges = merges,
                        PreTokenizerPatterns = patterns,
                        BosId = bos,
                        EosId = eos,
                        UnknownId = unknown,
                        AddBos = addBos,
                        AddEos = addEos,
                    };
                }

                if (byteFallback || metaspace)
                {
                    return new TokenizerVocabulary
                    {
                        Source = path,
                        Model = "llama",
                        Tokens = tokens,
                    StripWhitespace = strip,
                        Kinds = kinds,
                        Scores = ScoresFromMerges(tokens, merges),
                        BosId = bos,
                        EosId = eos,
                        UnknownId = unknown,
                        AddBos = addBos,
                        AddEos = addEos,
                        AddSpacePrefix = prefixSpace,
                    };
                }

                throw Unsupported(path, "BPE without a ByteLevel pre-tokenizer or SentencePiece-style ▁ handling");
            default:
                throw Unsupported(path, $"model type '{type}'");
        }
    }

    private static string? InferModelType(JsonElement model) =>
        model.TryGetProperty("merges", out _) ? "BPE" : model.TryGetProperty("continuing_subword_prefix", out _) ? "WordPiece" : null;

    private static string[] ReadMerges(JsonElement model)
    {
        if (!model.TryGetProperty("merges", out var merges))
        {
            return [];
        }

        // Older files write "left right", newer ones ["left", "right"].
        return [.. merges.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String
            ? m.GetString()!
            : m[0].GetString() + " " + m[1].GetString())];
    }

    /// <summary>
    /// SentencePiece merges by piece score; a tokenizer.json keeps only the merge order, so a piece's score is minus
    /// the rank of the first merge producing it. Pieces no merge produces get -∞ and are never merge targets.
    /// </summary>
    private static float[] ScoresFromMerges(string[] tokens, string[] merges)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < tokens.Length; id++)
        {
            ids.TryAdd(tokens[id], id);
        }

        var scores = new float[tokens.Length];
        Array.Fill(scores, float.NegativeInfinity);
        for (var rank = 0; rank < merges.Length; rank++)
        {
            var space = merges[rank].IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && ids.TryGetValue(string.Concat(merges[rank].AsSpan(0, space), merges[rank].AsSpan(space + 1)), out var id) && float.IsNegativeInfinity(scores[id]))
            {
                scores[id] = -rank;
            }
        }

        return scores;
    }

    private static (bool ByteLevel, IReadOnlyList<string> Patterns) ReadPreTokenizer(JsonElement root, string path)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
        {
            return (false, []);
        }

        var steps = pre.GetProperty("type").GetString() == "Sequence" ? [.. pre.GetProperty("pretokenizers").EnumerateArray()] : new[] { pre };
        var patterns = new List<string>();
        var byteLevel = false;
        foreach (var step in steps)
        {
            switch (step.GetProperty("type").GetString())
            {
                case "ByteLevel":
                    byteLevel = true;
                    if (step.TryGetProperty("add_prefix_space", out var prefix) && prefix.ValueKind == JsonValueKind.True)
                    {
                        throw Unsupported(path, "ByteLevel with add_prefix_space");
                    }

                    if (!step.TryGetProperty("use_regex", out var useRegex) || useRegex.ValueKind != JsonValueKind.False)
                    {
                        patterns.Add(PreTokenizerPatterns.Gpt2Pattern);
                    }

                    break;
                case "Split":
                    var behavior = step.TryGetProperty("behavior", out var b) ? b.GetString() : "Isolated";
                    if (behavior != "Isolated" || (step.TryGetProperty("invert", out var invert) && invert.GetBoolean()))
                    {
                        throw Unsupported(path, $"Split pre-tokenizer with behavior {behavior}");
                    }

                    var pattern = step.GetProperty("pattern");
                    patterns.Add(pattern.TryGetProperty("Regex", out var regex)
                        ? ToDotNetRegex(regex.GetString()!)
                        : System.Text.RegularExpressions.Regex.Escape(pattern.GetProperty("String").GetString()!));
                    break;
                case "Digits":
                    patterns.Add(step.TryGetProperty("individual_digits", out var individual) && individual.GetBoolean() ? @"\p{N}" : @"\p{N}+");
                    break;
                case "Metaspace":
                    break;
                case var other:
                    throw Unsupported(path, $"pre-tokenizer '{other}'");
            }
        }

        return (byteLevel, patterns);
    }

    /// <summary>Oniguruma/fancy-regex → .NET: possessive quantifiers, which .NET lacks, become greedy ones (the same splits for the patterns real tokenizers use).</summary>
    private static string ToDotNetRegex(string pattern) =>
        pattern.Replace("?+", "?", StringComparison.Ordinal).Replace("++", "+", StringComparison.Ordinal).Replace("*+", "*", StringComparison.Ordinal);

    private static bool UsesMetaspace(JsonElement root, out bool prefixSpace)
    {
        prefixSpace = false;
        var found = false;
        foreach (var name in new[] { "normalizer", "pre_tokenizer" })
        {
            if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var steps = element.GetProperty("type").GetString() == "Sequence"
                ? [.. element.GetProperty(name == "normalizer" ? "normalizers" : "pretokenizers").EnumerateArray()]
                : new[] { element };
            foreach (var step in steps)
            {
                switch (step.GetProperty("type").GetString())
                {
                    case "Prepend" when step.GetProperty("prepend").GetString() == SpaceMarker.ToString():
                        found = prefixSpace = true;
                        break;
                    case "Replace" when step.GetProperty("content").GetString() == SpaceMarker.ToString():
                        found = true;
                        break;
                    case "Metaspace":
                        found = true;
                        var scheme = step.TryGetProperty("prepend_scheme", out var s) ? s.GetString() : null;
                        var legacy = step.TryGetProperty("add_prefix_space", out var p) ? p.GetBoolean() : (bool?)null;
                        prefixSpace = scheme is "always" or "first" || (scheme is null && legacy != false);
                        break;
                    default:
                        break;
                }
            }
        }

        return found;
    }

    private static (int? Bos, int? Eos) ReadPostProcessor(JsonElement root, Dictionary<string, int> ids)
    {
        if (!root.TryGetProperty("post_processor", out var post) || post.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        var processors = post.GetProperty("type").GetString() == "Sequence" ? [.. post.GetProperty("processors").EnumerateArray()] : new[] { post };
        foreach (var processor in processors)
        {
            switch (processor.GetProperty("type").GetString())
            {
                case "TemplateProcessing":
                    var single = processor.GetProperty("single").EnumerateArray().ToList();
                    int? Special(JsonElement item) => item.TryGetProperty("SpecialToken", out var special) && ids.TryGetValue(special.GetProperty("id").GetString()!, out var id) ? id : null;
                    return (single.Count > 0 ? Special(single[0]) : null, single.Count > 1 ? Special(single[^1]) : null);
                case "BertProcessing" or "RobertaProcessing":
                    return (processor.GetProperty("cls")[1].GetInt32(), processor.GetProperty("sep")[1].GetInt32());
                default:
                    break;
            }
        }

        return (null, null);
    }

    private static string? ConfigToken(JsonElement? config, string key) =>
        config is { } c && c.TryGetProperty(key, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
                _ => null,
            }
            : null;

    private static bool? ConfigBool(JsonElement? config, string key) =>
        config is { } c && c.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static bool IsByteToken(string piece) =>
        piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>' && Uri.IsHexDigit(piece[3]) && Uri.IsHexDigit(piece[4]);

    private static HanlinException Unsupported(string path, string what) =>
        new(ErrorCodes.UnsupportedModel, $"Tokenizer file '{path}' uses {what}, which Hanlin does not implement.");
}
