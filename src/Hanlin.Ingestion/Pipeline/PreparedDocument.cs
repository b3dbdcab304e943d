using Hanlin.Core.Documents;
using Hanlin.Core.Ingestion;
using Hanlin.Ingestion.Cleaning;

namespace Hanlin.Ingestion.Pipeline;

/// <summary>
/// A file after the CPU-heavy stage of ingestion, waiting for its turn to be committed: either already
/// decided (<see cref="Outcome"/>, e.g. unchanged) or extracted, normalised and chunked with the original
/// still open for the blob store. Owns the open file.
/// </summary>
internal sealed class PreparedDocument : IAsyncDisposable
{
    public PreparedDocument(
        IngestionSource source,
        FileStream content,
        long sizeBytes,
        string sha256,
        string mediaType,
        NormalizedDocument normalized,
        string? title,
        byte[] textBytes,
        string textSha256,
        IReadOnlyList<ChunkDraft> drafts)
    {
        Source = source;
        Content = content;
        SizeBytes = sizeBytes;
        Sha256 = sha256;
        MediaType = mediaType;
        Normalized = normalized;
        Title = title;
        TextBytes = textBytes;
        TextSha256 = textSha256;
        Drafts = drafts;
    }

    private PreparedDocument(IngestionSource source, FileResult outcome)
    {
        Source = source;
        Outcome = outcome;
        SizeBytes = outcome.SizeBytes;
    }

    public IngestionSource Source { get; }

    /// <summary>Set when preparation already decided the file's fate (nothing left to commit).</summary>
    public FileResult? Outcome { get; }

    public FileStream? Content { get; }

    public long SizeBytes { get; }

    public string? Sha256 { get; }

    public string? MediaType { get; }

    public NormalizedDocument? Normalized { get; }

    public string? Title { get; }

    public byte[]? TextBytes { get; }

    public string? TextSha256 { get; }

    public IReadOnlyList<ChunkDraft>? Drafts { get; }

    public static PreparedDocument Done(IngestionSource source, FileResult outcome) => new(source, outcome);

    public ValueTask DisposeAsync() => Content?.DisposeAsync() ?? ValueTask.CompletedTask;
}
