using System.Text.RegularExpressions;
using Hanlin.Core.Errors;

namespace Hanlin.Models.Tokenization;

/// <summary>
/// The split regexes of byte-level BPE vocabularies, keyed by llama.cpp's <c>tokenizer.ggml.pre</c> name; the
/// patterns are those of the models' <c>tokenizer.json</c> as transcribed in llama.cpp <c>llama-vocab.cpp</c>.
/// </summary>
/// <remarks>
/// .NET regexes work on UTF-16 code units, so DeepSeek-LLM's letter class loses its supplementary-plane ranges
/// (Deseret, Osage, Old Hungarian, ... letters); text in those scripts splits differently from the reference.
/// </remarks>
internal static class PreTokenizerPatterns
{
    private const string Gpt2 = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private const string Llama3 = @"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string Qwen2 = @"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    // Cased-letter (L&) ranges, escaped so that no editor or tool can NFC-normalise them (U+2126 OHM SIGN, U+212A KELVIN SIGN, ...).
    private const string DeepSeekLetters = "A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293\u0295-\u02AF\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-\u03A1\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5\u13A0-\u13F5\u13F8-\u13FD\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A\u1E00-\u1F15\u1F18-\u1F1D\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D\u1F5F-\u1F7D\u1F80-\u1FB4\u1FB6-\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3\u1FD6-\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4\u1FF6-\u1FFC\u2102\u2107\u210A-\u2113\u2115\u2119-\u211D\u2124\u2126\u2128\u212A-\u212D\u212F-\u2134\u2139\u213C-\u213F\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4\u2CEB-\u2CEE\u2CF2\u2CF3\uA640-\uA66D\uA680-\uA69B\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E\uAB70-\uABBF\uFB00-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A";

    private static readonly string[] DeepSeekLlm =
    [
        @"[\r\n]",
        @"\s?[" + DeepSeekLetters + "]+",
        "\\s?[!-/:-~\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+",
        @"\s+\z",
        "[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+",
        @"\p{N}+",
    ];

    private static readonly string[] DeepSeekCoder =
    [
        @"[\r\n]",
        @"\s?\p{L}+",
        @"\s?\p{P}+",
        "[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+",
        @"\p{N}",
    ];

    /// <summary>The pre-tokenizer for llama.cpp pre-tokenizer name <paramref name="name"/> (null: GPT-2's).</summary>
    /// <exception cref="HanlinException"><c>unsupported_model</c> for a name this reader does not know.</exception>
    public static RegexSequencePreTokenizer For(string? name, string source) => new(Stages(name, source)
        .Select(p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.Compiled))
        .ToArray());

    /// <summary>A pre-tokenizer from explicit patterns (a Hugging Face <c>Split</c> sequence).</summary>
    public static RegexSequencePreTokenizer FromPatterns(IEnumerable<string> patterns) =>
        new(patterns.Select(p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.Compiled)).ToArray());

    /// <summary>The GPT-2 pattern, used by Hugging Face's <c>ByteLevel(use_regex: true)</c>.</summary>
    public static string Gpt2Pattern => Gpt2;

    private static string[] Stages(string? name, string source) => name switch
    {
        null or "" or "gpt-2" or "gpt2" or "mpt" or "olmo" or "jais" => [Gpt2],
        "default" => [@"[\p{P}\$\+<=>\^~\|]+", Gpt2, @"\p{N}+", "[0-9][0-9][0-9]"],
        "llama3" or "llama-v3" or "llama-bpe" or "dbrx" or "smaug-bpe" or "falcon3" or "pixtral" => [Llama3],
        "qwen2" or "deepseek-r1-qwen" or "megrez" => [Qwen2],
        "deepseek-llm" => DeepSeekLlm,
        "deepseek-coder" => DeepSeekCoder,
        "starcoder" or "refact" or "command-r" or "smollm" or "codeshell" or "exaone" or "minerva-7b" => [@"\p{N}", Gpt2],
        "falcon" => [@"[\p{P}\$\+<=>\^~\|`]+", Gpt2, "[0-9][0-9][0-9]"],
        _ => throw new HanlinException(ErrorCodes.UnsupportedModel, $"Tokenizer '{source}' uses byte-level BPE pre-tokenizer '{name}', which Hanlin does not know; known: gpt-2, llama-bpe, qwen2, deepseek-llm, deepseek-coder, starcoder family, falcon."),
    };
}
