using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Cleaning;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Chunking;

/// <summary>
/// Cuts a <see cref="NormalizedDocument"/> into retrievable chunks that follow its structure:
/// <list type="bullet">
/// <item>A chunk never spans two sections. A heading opens the chunk that follows it; a heading with
/// nothing under it joins its subsection's first chunk, or else stands alone as a Heading chunk.</item>
/// <item>Paragraph sentences accumulate up to <see cref="ChunkingOptions.TargetTokens"/>; the next chunk
/// of a section repeats whole trailing sentences up to <see cref="ChunkingOptions.OverlapTokens"/>.
/// A sentence longer than <see cref="ChunkingOptions.MaxTokens"/> is cut by tokens.</item>
/// <item>A list or table that fits <see cref="ChunkingOptions.MaxTokens"/> is never split; a longer
/// list splits between items, a longer table between rows with the header repeated.</item>
/// </list>
/// Except for pieces of split tables, a chunk's text is exactly
/// <c>document.Text[CharStart..CharEnd]</c>. <see cref="ChunkDraft.TokenCount"/> is the exact cl100k
/// count of the text and never exceeds <see cref="ChunkingOptions.MaxTokens"/>. Thread-safe.
/// </summary>
public sealed class StructuredChunker
{
    // Below this many characters, running sections on the thread pool costs more than it saves.
    private const int ParallelThresholdChars = 256 * 1024;

    // Characters of the document tokenised up front to scale the token estimate to its script mix.
    private const int CalibrationChars = 8 * 1024;

    private readonly TokenCounter _tokens;
    private readonly SentenceSplitter _splitter;

    /// <summary>Creates a chunker over a shared token counter and sentence splitter.</summary>
    public StructuredChunker(TokenCounter tokenCounter, SentenceSplitter sentenceSplitter)
    {
        ArgumentNullException.ThrowIfNull(tokenCounter);
        ArgumentNullException.ThrowIfNull(sentenceSplitter);
        _tokens = tokenCounter;
        _splitter = sentenceSplitter;
    }

    /// <summary>Creates a chunker over <see cref="TokenCounter.Default"/>.</summary>
    public StructuredChunker()
        : this(TokenCounter.Default, new SentenceSplitter())
    {
    }

    /// <summary>Chunks <paramref name="document"/>; ordinals are dense from 0 in reading order.</summary>
    /// <exception cref="HanlinException">A block lies outside the document text (<see cref="ErrorCodes.InvalidArgument"/>).</exception>
    public IReadOnlyList<ChunkDraft> Chunk(NormalizedDocument document, ChunkingOptions options)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TargetTokens, 16, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokens, options.TargetTokens, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.OverlapTokens, nameof(options));
        ValidateBlocks(document);

        var sections = FindSections(document.Blocks);
        var factor = CalibrateEstimate(document.Text);
        var perSection = new IReadOnlyList<ChunkDraft>[sections.Count];
        if (document.Text.Length >= ParallelThresholdChars && sections.Count > 1)
        {
            Parallel.For(0, sections.Count, i => perSection[i] = new SectionChunker(document, sections[i], options, _tokens, _splitter, factor).Run());
        }
        else
        {
            for (var i = 0; i < sections.Count; i++)
            {
                perSection[i] = new SectionChunker(document, sections[i], options, _tokens, _splitter, factor).Run();
            }
        }

        var chunks = new List<ChunkDraft>(perSection.Sum(s => s.Count));
        foreach (var sectionChunks in perSection)
        {
            foreach (var chunk in sectionChunks)
            {
                chunks.Add(chunk with { Ordinal = chunks.Count });
            }
        }

        return chunks;
    }

    private double CalibrateEstimate(string text)
    {
        var sample = text.AsSpan(0, Math.Min(text.Length, CalibrationChars));
        var estimate = TokenEstimator.Estimate(sample);
        return estimate < 64 ? 1.0 : Math.Clamp(_tokens.Count(sample) / estimate, 0.5, 2.0);
    }

    private static List<DocumentSection> FindSections(IReadOnlyList<NormalizedBlock> blocks)
    {
        var sections = new List<DocumentSection>();
        var headingStart = -1;
        var i = 0;
        while (i < blocks.Count)
        {
            var block = blocks[i];
            if (block.Kind == BlockKind.Heading)
            {
                if (headingStart >= 0 && !IsSubsection(blocks[i - 1], block))
                {
                    sections.Add(new DocumentSection(headingStart, i, i, i, blocks[i - 1].SectionPath));
                    headingStart = -1;
                }

                if (headingStart < 0)
                {
                    headingStart = i;
                }

                i++;
                continue;
            }

            // The body: following non-heading blocks of one section path (a format section such as an
            // XLSX sheet can change it without a heading).
            var end = i + 1;
            while (end < blocks.Count && blocks[end].Kind != BlockKind.Heading && string.Equals(blocks[end].SectionPath, block.SectionPath, StringComparison.Ordinal))
            {
                end++;
            }

            sections.Add(headingStart >= 0
                ? new DocumentSection(headingStart, i, i, end, block.SectionPath)
                : new DocumentSection(i, i, i, end, block.SectionPath));
            headingStart = -1;
            i = end;
        }

        if (headingStart >= 0)
        {
            sections.Add(new DocumentSection(headingStart, blocks.Count, blocks.Count, blocks.Count, blocks[^1].SectionPath));
        }

        return sections;
    }

    // Headings are consecutive here, so the pending one has no body; it joins only a deeper heading.
    private static bool IsSubsection(NormalizedBlock pending, NormalizedBlock next) =>
        pending.HeadingLevel > 0 && next.HeadingLevel > pending.HeadingLevel;

    private static void ValidateBlocks(NormalizedDocument document)
    {
        var previousEnd = 0;
        for (var i = 0; i < document.Blocks.Count; i++)
        {
            var block = document.Blocks[i];
            if (block.Start < previousEnd || block.Length < 0 || block.End > document.Text.Length)
            {
                throw new HanlinException(
                    ErrorCodes.InvalidArgument,
                    $"Block {i} of the normalised document ({block.Kind}, [{block.Start}, {block.End})) overlaps the previous block or lies outside the text of {document.Text.Length} characters.");
            }

            previousEnd = block.End;
        }
    }
}
