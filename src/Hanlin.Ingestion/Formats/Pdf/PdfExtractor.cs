using Hanlin.Core.Errors;
using Hanlin.Ingestion.Extraction;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Exceptions;

namespace Hanlin.Ingestion.Formats.Pdf;

/// <summary>
/// Extracts PDF text page by page in reading order (columns read one after another) with PdfPig's layout
/// analysis: paragraphs, conservative headings, bulleted items and best-effort tables, with 1-based page
/// numbers. Cleaning that needs page geometry happens here: running headers/footers and page numbers are
/// dropped and words hyphenated at line ends are rejoined. Pages without a text layer are reported in
/// <see cref="ExtractedDocument.PagesNeedingOcr"/>. A file encrypted with an empty user password (a
/// permissions-only lock) opens and is read like any other; one that needs a password is
/// <c>encrypted_file</c>.
/// </summary>
public sealed class PdfExtractor : IDocumentExtractor
{
    /// <summary>Readers accept the header anywhere in the first KiB and the end marker in the last KiB.</summary>
    private const int MarkerWindow = 1024;

    /// <summary>Pages whose words are held at once for parallel layout analysis; bounds memory on long files.</summary>
    private const int BatchSize = 32;

    private static readonly byte[] HeaderMarker = "%PDF-"u8.ToArray();
    private static readonly byte[] EndMarker = "%%EOF"u8.ToArray();
    private static readonly byte[] EncryptKey = "/Encrypt"u8.ToArray();

    private static readonly ParsingOptions Options = new()
    {
        UseLenientParsing = true,
        SkipMissingFonts = true,
        ClipPaths = false,
    };

    /// <inheritdoc />
    public IReadOnlyCollection<string> MediaTypes { get; } = [Core.Documents.MediaTypes.Pdf];

    /// <inheritdoc />
    /// <remarks>CPU-bound and synchronous; the returned task is already complete.</remarks>
    public Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return Task.FromResult(Extract(content, context, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ExtractedDocument>(cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            return Task.FromException<ExtractedDocument>(ex);
        }
        catch (HanlinException ex)
        {
            return Task.FromException<ExtractedDocument>(ex);
        }
    }

    private static ExtractedDocument Extract(Stream content, ExtractionContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckEnvelope(content, context);
        content.Position = 0;
        try
        {
            using var document = PdfDocument.Open(content, Options);
            var pageCount = document.NumberOfPages;
            if (pageCount > context.Limits.MaxPages)
            {
                throw new HanlinException(
                    ErrorCodes.FileTooLarge,
                    $"'{context.FileName}' has {pageCount} pages, more than the limit of {context.Limits.MaxPages}.");
            }

            var layouts = new List<PdfPageLayout>(pageCount);
            var pagesNeedingOcr = new List<int>();
            var batch = new List<PdfPageWords>(BatchSize);
            for (var number = 1; number <= pageCount; number++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var words = PdfPageAnalyzer.ReadWords(document.GetPage(number));
                if (words is null)
                {
                    pagesNeedingOcr.Add(number);
                    continue;
                }

                batch.Add(words);
                if (batch.Count == BatchSize)
                {
                    AnalyzeBatch(batch, layouts, cancellationToken);
                }
            }

            AnalyzeBatch(batch, layouts, cancellationToken);

            var cleaned = RunningHeaderFilter.Apply(layouts);
            var assembler = new PdfBlockAssembler(HyphenationJoiner.FromPages(cleaned), PdfBlockAssembler.BodyFontSize(cleaned));
            var blocks = new List<DocumentBlock>();
            foreach (var page in cleaned)
            {
                cancellationToken.ThrowIfCancellationRequested();
                assembler.Assemble(page, blocks);
            }

            var title = document.Information.Title?.Trim();
            return new ExtractedDocument(
                Core.Documents.MediaTypes.Pdf,
                string.IsNullOrEmpty(title) ? null : title,
                blocks,
                pageCount,
                pagesNeedingOcr);
        }
        catch (HanlinException)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (PdfDocumentEncryptedException ex)
        {
            throw Encrypted(context, ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // PdfPig reports failures with many exception types (format, IO, index, cast, ...). A failure on a
            // file that declares encryption is almost always the encryption, so name that rather than corruption.
            if (Contains(content, EncryptKey, 0, content.Length))
            {
                throw Encrypted(context, ex);
            }

            throw new HanlinException(ErrorCodes.CorruptFile, $"'{context.FileName}' is not a readable PDF: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Layout analysis is about three quarters of the work and needs only the page's words, so pages of a
    /// batch are analysed in parallel while reading the document itself stays on one thread.
    /// </summary>
    private static void AnalyzeBatch(List<PdfPageWords> batch, List<PdfPageLayout> layouts, CancellationToken cancellationToken)
    {
        var results = new PdfPageLayout[batch.Count];
        var options = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = Environment.ProcessorCount,
        };
        Parallel.For(0, batch.Count, options, i => results[i] = PdfPageAnalyzer.Analyze(batch[i]));
        layouts.AddRange(results);
        batch.Clear();
    }

    /// <summary>
    /// Rejects what PdfPig's lenient parser would half-read: a file without the %PDF- header, and a truncated
    /// one (no %%EOF in its last KiB), which would otherwise yield a silently partial document.
    /// </summary>
    private static void CheckEnvelope(Stream content, ExtractionContext context)
    {
        var length = content.Length;
        if (length == 0)
        {
            throw new HanlinException(ErrorCodes.EmptyFile, $"'{context.FileName}' is empty.");
        }

        if (length > context.Limits.MaxFileBytes)
        {
            throw new HanlinException(
                ErrorCodes.FileTooLarge,
                $"'{context.FileName}' is {length} bytes, more than the limit of {context.Limits.MaxFileBytes}.");
        }

        if (!Contains(content, HeaderMarker, 0, Math.Min(length, MarkerWindow)))
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"'{context.FileName}' is not a PDF: it has no %PDF- header.");
        }

        if (!Contains(content, EndMarker, Math.Max(0, length - MarkerWindow), length))
        {
            throw new HanlinException(
                ErrorCodes.CorruptFile,
                $"'{context.FileName}' is a truncated or damaged PDF: it does not end with an %%EOF marker.");
        }
    }

    private static HanlinException Encrypted(ExtractionContext context, Exception inner) =>
        new(ErrorCodes.EncryptedFile, $"'{context.FileName}' is an encrypted PDF that cannot be opened without a password.", inner);

    /// <summary>Whether <paramref name="needle"/> occurs in the stream between two offsets; reads in chunks.</summary>
    private static bool Contains(Stream stream, byte[] needle, long from, long to)
    {
        const int ChunkSize = 64 * 1024;
        var buffer = new byte[ChunkSize + needle.Length - 1];
        stream.Position = from;
        var carried = 0;
        while (stream.Position < to)
        {
            var want = (int)Math.Min(ChunkSize, to - stream.Position);
            var read = stream.ReadAtLeast(buffer.AsSpan(carried, want), want, throwOnEndOfStream: false);
            if (read == 0)
            {
                break;
            }

            var window = buffer.AsSpan(0, carried + read);
            if (window.IndexOf(needle) >= 0)
            {
                return true;
            }

            // Keep the tail so a needle split across two chunks is still found.
            carried = Math.Min(needle.Length - 1, window.Length);
            window[^carried..].CopyTo(buffer);
        }

        return false;
    }
}
