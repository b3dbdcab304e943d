using Hanlin.Core.Errors;
using Microsoft.ML.Tokenizers;

namespace Hanlin.Ingestion.Chunking;

/// <summary>
/// Counts tokens of the chunking tokenizer, cl100k_base, whose vocabulary ships embedded in the
/// Microsoft.ML.Tokenizers.Data.Cl100kBase package (nothing is downloaded). Loading the vocabulary
/// is expensive (100k merges), so create one instance per process (or use <see cref="Default"/>);
/// every member is safe to call from several threads at once.
/// </summary>
public sealed class TokenCounter
{
    private static readonly Lazy<TokenCounter> DefaultInstance = new(() => new TokenCounter(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly TiktokenTokenizer _tokenizer;

    /// <summary>Loads the embedded cl100k_base vocabulary.</summary>
    public TokenCounter()
    {
        try
        {
            _tokenizer = TiktokenTokenizer.CreateForEncoding("cl100k_base");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or NotSupportedException)
        {
            throw new HanlinException(ErrorCodes.Internal, "The cl100k_base tokenizer data could not be loaded from the Microsoft.ML.Tokenizers.Data.Cl100kBase package.", ex);
        }
    }

    /// <summary>The process-wide instance, created on first use.</summary>
    public static TokenCounter Default => DefaultInstance.Value;

    /// <summary>Number of cl100k_base tokens in <paramref name="text"/>.</summary>
    public int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : _tokenizer.CountTokens(text);

    /// <summary>Number of cl100k_base tokens in <paramref name="text"/>.</summary>
    public int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Count(text.AsSpan());
    }

    /// <summary>
    /// The length of the longest prefix of <paramref name="text"/> that encodes to at most
    /// <paramref name="maxTokens"/> whole tokens; <paramref name="tokenCount"/> receives that prefix's count.
    /// The prefix never ends inside a surrogate pair. Returns 0 when not even one token fits.
    /// </summary>
    public int PrefixLengthWithin(ReadOnlySpan<char> text, int maxTokens, out int tokenCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        if (text.IsEmpty || maxTokens == 0)
        {
            tokenCount = 0;
            return 0;
        }

        var length = _tokenizer.GetIndexByTokenCount(text, maxTokens, out _, out tokenCount);
        if (length > 0 && length < text.Length && char.IsHighSurrogate(text[length - 1]) && char.IsLowSurrogate(text[length]))
        {
            // A cl100k token can end inside a UTF-8 sequence; never cut a character in two.
            length--;
            tokenCount = Count(text[..length]);
        }

        return length;
    }
}
