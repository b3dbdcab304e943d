using Hanlin.Ingestion.Extraction;
using Markdig;

namespace Hanlin.Ingestion.Formats.Text;

/// <summary>
/// Markdown via the Markdig syntax tree: ATX and setext headings keep their level; paragraphs; list items
/// (nested lists flattened in reading order, ordered items keep their number); pipe tables become
/// <see cref="TableBlock"/>s; code blocks become paragraphs; YAML front matter is skipped; HTML is reduced to
/// its text; links and images keep their text. The title is the first level-1 heading.
/// </summary>
public sealed class MarkdownExtractor : IDocumentExtractor
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseYamlFrontMatter().Build();

    /// <inheritdoc />
    public IReadOnlyCollection<string> MediaTypes { get; } = [Core.Documents.MediaTypes.Markdown];

    /// <inheritdoc />
    public Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionContext context, CancellationToken cancellationToken = default)
    {
        var text = TextInput.Read(content, context, cancellationToken);
        var document = Markdown.Parse(text, Pipeline);
        var walker = new MarkdownBlockWalker(cancellationToken);
        walker.Walk(document);
        var title = walker.Blocks.Find(b => b.Kind == BlockKind.Heading && b.HeadingLevel == 1)?.Text.Trim();
        return Task.FromResult(new ExtractedDocument(Core.Documents.MediaTypes.Markdown, title, walker.Blocks));
    }
}
