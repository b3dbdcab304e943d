using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// The boundary every Office extractor runs behind: guard the zip first, read parts through a byte budget,
/// and turn any library failure into <c>corrupt_file</c> so no OpenXml or packaging exception escapes.
/// </summary>
internal static class OfficeExtraction
{
    public static OpenSettings OpenSettings { get; } = new() { AutoSave = false };

    public static Task<ExtractedDocument> RunAsync(
        Stream content,
        ExtractionContext context,
        string formatName,
        Func<Stream, PartReadBudget, CancellationToken, ExtractedDocument> extract,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(context);

        // Parsing is CPU-bound and synchronous inside the OpenXml SDK; keep it off the caller's thread.
        return Task.Run(() => Run(content, context, formatName, extract, cancellationToken), cancellationToken);
    }

    private static ExtractedDocument Run(
        Stream content,
        ExtractionContext context,
        string formatName,
        Func<Stream, PartReadBudget, CancellationToken, ExtractedDocument> extract,
        CancellationToken cancellationToken)
    {
        try
        {
            OfficePackageGuard.EnsureSafePackage(content, context, cancellationToken);
            var budget = new PartReadBudget(context.FileName, context.Limits.MaxUncompressedBytes);
            return extract(content, budget, cancellationToken);
        }
        catch (Exception ex) when (IsLibraryFailure(ex))
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"'{context.FileName}' is not a readable {formatName} file: {ex.Message}", ex);
        }
        finally
        {
            content.Position = 0;
        }
    }

    // What the OpenXml SDK, System.IO.Packaging and XmlReader throw for damaged or mislabelled packages.
    private static bool IsLibraryFailure(Exception ex) =>
        ex is OpenXmlPackageException or FileFormatException or InvalidDataException or XmlException or IOException
            or InvalidOperationException or ArgumentException or FormatException or NotSupportedException
            or KeyNotFoundException or OverflowException or InvalidCastException or UriFormatException;

    /// <summary>The package's core-properties title, or null when it has none.</summary>
    public static string? Title(OpenXmlPackage package)
    {
        var title = package.PackageProperties.Title;
        return string.IsNullOrWhiteSpace(title) ? null : title.Trim();
    }
}
