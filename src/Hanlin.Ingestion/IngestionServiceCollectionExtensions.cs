using Hanlin.Ingestion.Chunking;
using Hanlin.Ingestion.Cleaning;
using Hanlin.Ingestion.Extraction;
using Hanlin.Ingestion.Formats.Office;
using Hanlin.Ingestion.Formats.Pdf;
using Hanlin.Ingestion.Formats.Text;
using Hanlin.Ingestion.Pipeline;
using Hanlin.Ingestion.Sniffing;
using Microsoft.Extensions.Configuration;

#pragma warning disable IDE0130 // Extension methods for IServiceCollection live in its namespace by convention.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the ingestion pipeline.</summary>
public static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// Adds sniffing, every format extractor, normalisation, chunking and the job runner, with
    /// <see cref="IngestionOptions"/> bound from the <c>Ingestion</c> section and validated on start.
    /// Needs the storage services (<c>AddHanlinStorage</c>).
    /// </summary>
    public static IServiceCollection AddHanlinIngestion(this IServiceCollection services, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<IngestionOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(IngestionOptions.SectionName));
        }

        options.ValidateDataAnnotations()
            .Validate(o => o.Chunking.TargetTokens <= o.Chunking.MaxTokens, "Ingestion:Chunking:TargetTokens must not exceed MaxTokens.")
            .Validate(o => o.Chunking.OverlapTokens < o.Chunking.TargetTokens, "Ingestion:Chunking:OverlapTokens must be smaller than TargetTokens.")
            .Validate(o => o.Limits.MaxFileBytes > 0 && o.Limits.MaxUncompressedBytes > 0 && o.Limits.MaxArchiveEntries > 0, "Ingestion:Limits must be positive.")
            .ValidateOnStart();

        services.AddSingleton<IDocumentExtractor, PlainTextExtractor>();
        services.AddSingleton<IDocumentExtractor, MarkdownExtractor>();
        services.AddSingleton<IDocumentExtractor, HtmlExtractor>();
        services.AddSingleton<IDocumentExtractor, CsvExtractor>();
        services.AddSingleton<IDocumentExtractor, PdfExtractor>();
        services.AddSingleton<IDocumentExtractor, DocxExtractor>();
        services.AddSingleton<IDocumentExtractor, XlsxExtractor>();
        services.AddSingleton<IDocumentExtractor, PptxExtractor>();
        services.AddSingleton<ExtractorRegistry>();
        services.AddSingleton<ContentSniffer>();
        services.AddSingleton<DocumentNormalizer>();
        services.AddSingleton(_ => TokenCounter.Default);
        services.AddSingleton<SentenceSplitter>();
        services.AddSingleton<StructuredChunker>();
        services.AddSingleton<DocumentProcessor>();
        services.AddSingleton<IngestionJobRunner>();
        return services;
    }
}
