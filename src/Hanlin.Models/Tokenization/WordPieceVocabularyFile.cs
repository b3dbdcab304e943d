using System.Text.Json;
using Hanlin.Core.Errors;

namespace Hanlin.Models.Tokenization;

/// <summary>
/// Reads a BERT <c>vocab.txt</c> (one piece per line, id = line number) with <c>do_lower_case</c> from the
/// <c>tokenizer_config.json</c> beside it (transformers' default: true).
/// </summary>
internal static class WordPieceVocabularyFile
{
    private static readonly string[] Specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    public static ITextTokenizer Load(string path)
    {
        string[] tokens;
        bool? lowerCase = null;
        try
        {
            tokens = File.ReadAllText(path).Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
            if (tokens.Length > 0 && tokens[^1].Length == 0)
            {
                tokens = tokens[..^1];
            }

            var configPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "tokenizer_config.json");
            if (File.Exists(configPath))
            {
                using var config = JsonDocument.Parse(File.ReadAllBytes(configPath));
                if (config.RootElement.TryGetProperty("do_lower_case", out var lower) && lower.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    lowerCase = lower.GetBoolean();
                }
            }
        }
        catch (IOException ex)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"Tokenizer file '{path}' could not be read: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"The tokenizer_config.json beside '{path}' is not valid JSON: {ex.Message}", ex);
        }

        int? IdOf(string piece) => Array.IndexOf(tokens, piece) is var id and >= 0 ? id : null;
        var unknown = IdOf("[UNK]") ?? throw new HanlinException(ErrorCodes.CorruptFile, $"BERT vocabulary '{path}' has no [UNK] piece.");
        return TokenizerLoader.Create(new TokenizerVocabulary
        {
            Source = path,
            Model = "bert",
            Tokens = tokens,
            Kinds = [.. tokens.Select(t => Specials.Contains(t, StringComparer.Ordinal) ? TokenKind.Control : TokenKind.Normal)],
            UnknownId = unknown,
            ClassifierId = IdOf("[CLS]"),
            SeparatorId = IdOf("[SEP]"),
            PaddingId = IdOf("[PAD]"),
            MaskId = IdOf("[MASK]"),
            AddBos = true,
            AddEos = true,
            LowerCase = lowerCase ?? true,
        });
    }
}
