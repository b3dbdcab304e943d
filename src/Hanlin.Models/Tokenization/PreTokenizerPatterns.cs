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

    private const string DeepSeekLetters = "A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ";

    private static readonly string[] DeepSeekLlm =
    [
        @"[\r\n]",
        @"\s?[" + DeepSeekLetters + "]+",
        @"\s?[!-/:-~！-／：-～‘-‟　-。]+",
        @"\s+\z",
        "[一-龥ࠀ-一가-퟿]+",
        @"\p{N}+",
    ];

    private static readonly string[] DeepSeekCoder =
    [
        @"[\r\n]",
        @"\s?\p{L}+",
        @"\s?\p{P}+",
        "[一-龥ࠀ-一가-퟿]+",
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
