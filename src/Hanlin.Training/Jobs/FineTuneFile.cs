namespace Hanlin.Training.Jobs;

/// <summary>An uploaded file (OpenAI's <c>file</c> object), kept under the data directory.</summary>
/// <param name="Id">The file id, <c>file-…</c>.</param>
/// <param name="FileName">The name the client gave it.</param>
/// <param name="Purpose">What it is for; Hanlin accepts <c>fine-tune</c>.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">Lowercase hexadecimal SHA-256 of its content (recorded as the dataset hash of models trained on it).</param>
/// <param name="Path">Where the content is stored.</param>
/// <param name="CreatedAt">When it was uploaded.</param>
public sealed record FineTuneFile(string Id, string FileName, string Purpose, long Bytes, string Sha256, string Path, DateTimeOffset CreatedAt);
