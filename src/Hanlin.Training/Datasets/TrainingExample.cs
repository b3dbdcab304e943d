using System.Security.Cryptography;
using System.Text;
using Hanlin.Ingestion.Cleaning;

namespace Hanlin.Training.Datasets;

/// <summary>
/// One training example in the format-independent shape every reader produces: chat, alpaca and sharegpt lines
/// become system/user/assistant messages; a plain-text document becomes a single <see cref="ChatRole.Text"/> message.
/// </summary>
/// <param name="LineNumber">1-based line of the source file where the example starts (0 when it did not come from a file).</param>
/// <param name="Messages">The turns, in order; never empty.</param>
public sealed record TrainingExample(int LineNumber, IReadOnlyList<TrainingMessage> Messages)
{
    /// <summary>True for a continued pre-training example (one <see cref="ChatRole.Text"/> segment).</summary>
    public bool IsPlainText => Messages is [{ Role: ChatRole.Text }];

    /// <summary>
    /// The example as one string for hashing and near-duplicate detection: every turn's role and its content
    /// normalised by <see cref="TextNormalizer"/> (NFC, spaces, control characters; case is kept, because case can
    /// carry meaning in the answers a model should learn).
    /// </summary>
    public string NormalizedText()
    {
        var sb = new StringBuilder();
        foreach (var message in Messages)
        {
            // Unit and record separators cannot occur in normalised content, so role/content boundaries stay unambiguous.
            sb.Append(message.Role.ToString()).Append('\u001F').Append(TextNormalizer.Normalize(message.Content)).Append('\u001E');
        }

        return sb.ToString();
    }

    /// <summary>Lowercase hex SHA-256 of <see cref="NormalizedText"/>: equal for examples that differ only in whitespace or Unicode form.</summary>
    public string ContentHash() => HashOf(NormalizedText());

    /// <summary>The <see cref="ContentHash"/> of an already computed <see cref="NormalizedText"/>.</summary>
    internal static string HashOf(string normalizedText) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedText)));
}
