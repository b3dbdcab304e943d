using Hanlin.Ingestion.Extraction;
using Markdig;

namespace Hanlin.Ingestion.Formats.Text;

/// <summary>
/// Markdown via the Markdig syntax tree: ATX and setext headings keep their level; paragraphs; list items
/// (nested lists flattened in reading order, ordered items keep their number); pipe tables become
/// <see cref="TableBlock"/>s; code blocks become paragraphs; YAML front matter is skipped; HTML is reduced to
/// its text; links and images keep their text. The title is the first level-1 heading.
/// Large files are cut at top-level ATX headings and the parts parsed in parallel (see <see cref="MarkdownSections"/>).
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
        var parts = MarkdownSections.Split(text, Environment.ProcessorCount * 2);
        var results = new List<DocumentBlock>[parts.Count];
        if (parts.Count == 1)
        {
            results[0] = ParsePart(text, cancellationToken);
        }
        else
        {
            var options = new ParallelOptions { CancellationToken = cancellationToken };
            Parallel.For(0, parts.Count, options, i => results[i] = ParsePart(text.Substring(parts[i].Start, parts[i].Length), cancellationToken));
        }

        var blocks = results.Length == 1 ? results[0] : [.. results.SelectMany(r => r)];
        var title = blocks.Find(b => b.Kind == BlockKind.Heading && b.HeadingLevel == 1)?.Text.Trim();
        return Task.FromResult(new ExtractedDocument(Core.Documents.MediaTypes.Markdown, title, blocks));
    }

    internal static List<DocumentBlock> ParsePart(string markdown, CancellationToken cancellationToken)
    {
        var walker = new MarkdownBlockWalker(cancellationToken);
        walker.Walk(Markdown.Parse(markdown, Pipeline));
        return walker.Blocks;
    }
}
