using Hanlin.Core.Errors;
using Hanlin.Models.Gguf;

namespace Hanlin.Models.Tokenization;

/// <summary>Builds the right <see cref="ITextTokenizer"/> for a GGUF file, a Hugging Face tokenizer or a llama2.c tokenizer file.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// Loads the tokenizer at <paramref name="path"/>: a GGUF file (its <c>tokenizer.ggml.*</c> metadata), a Hugging
    /// Face <c>tokenizer.json</c> (with <c>tokenizer_config.json</c> beside it when present) or a directory holding
    /// one, a BERT <c>vocab.txt</c> (or a directory with one and no tokenizer.json), or a llama2.c <c>tokenizer.bin</c>.
    /// </summary>
    /// <exception cref="HanlinException"><c>file_not_found</c>, <c>corrupt_file</c>, or <c>unsupported_model</c> for a tokenizer type Hanlin does not implement.</exception>
    public static ITextTokenizer Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            var json = Path.Combine(path, "tokenizer.json");
            var vocabText = Path.Combine(path, "vocab.txt");
            return File.Exists(json) ? HuggingFaceTokenizerJson.Load(json)
                : File.Exists(vocabText) ? WordPieceVocabularyFile.Load(vocabText)
                : throw new HanlinException(ErrorCodes.FileNotFound, $"Directory '{path}' has neither tokenizer.json nor a BERT vocab.txt.");
        }

        if (!File.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"Tokenizer file '{path}' does not exist.");
        }

        Span<byte> head = stackalloc byte[4];
        int read;
        try
        {
            using var stream = File.OpenRead(path);
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (IOException ex)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"Tokenizer file '{path}' could not be read: {ex.Message}", ex);
        }

        if (read == 4 && head.SequenceEqual("GGUF"u8))
        {
            using var gguf = GgufFile.Open(path);
            return FromGguf(gguf);
        }

        var firstNonSpace = head[..read].TrimStart(" \t\r\n\uFEFF"u8);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || (firstNonSpace.Length > 0 && firstNonSpace[0] == (byte)'{'))
        {
            return HuggingFaceTokenizerJson.Load(path);
        }

        if (Path.GetFileName(path).Equals("vocab.txt", StringComparison.OrdinalIgnoreCase))
        {
            return WordPieceVocabularyFile.Load(path);
        }

        return Llama2cTokenizer.Load(path);
    }

    /// <summary>The tokenizer described by the metadata of an open GGUF file (it does not keep the file open).</summary>
    /// <exception cref="HanlinException"><c>unsupported_model</c> when the file has no tokenizer or one of an unimplemented type.</exception>
    public static ITextTokenizer FromGguf(GgufFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Create(GgufTokenizerMetadata.Read(file));
    }

    internal static ITextTokenizer Create(TokenizerVocabulary vocabulary) => vocabulary.Model switch
    {
        "gpt2" => new ByteLevelBpeTokenizer(vocabulary, vocabulary.PreTokenizerPatterns is { } patterns
            ? PreTokenizerPatterns.FromPatterns(patterns)
            : PreTokenizerPatterns.For(vocabulary.PreTokenizer, vocabulary.Source)),
        "llama" => new SentencePieceBpeTokenizer(vocabulary),
        "bert" => new WordPieceTextTokenizer(vocabulary),
        _ => throw new HanlinException(ErrorCodes.UnsupportedModel, $"Tokenizer '{vocabulary.Source}' is of type '{vocabulary.Model}'; Hanlin implements gpt2 (byte-level BPE), llama (SentencePiece BPE) and bert (WordPiece)."),
    };
}
