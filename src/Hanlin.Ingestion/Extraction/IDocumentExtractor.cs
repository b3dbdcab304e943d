namespace Hanlin.Ingestion.Extraction;

/// <summary>
/// Extracts structured text from one format. Implementations throw <see cref="Core.Errors.HanlinException"/>
/// with a stable code (<c>corrupt_file</c>, <c>encrypted_file</c>, <c>archive_bomb</c>, ...) for bad input,
/// never a raw library exception, and honour <see cref="ExtractionLimits"/>.
/// </summary>
public interface IDocumentExtractor
{
    /// <summary>Media types this extractor handles (see <see cref="Core.Documents.MediaTypes"/>).</summary>
    IReadOnlyCollection<string> MediaTypes { get; }

    /// <param name="content">A readable, seekable stream positioned at 0; not disposed by the extractor.</param>
    /// <param name="context">The file's name and the limits to enforce.</param>
    /// <param name="cancellationToken">Checked between pages, parts or sheets.</param>
    Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionContext context, CancellationToken cancellationToken = default);
}
