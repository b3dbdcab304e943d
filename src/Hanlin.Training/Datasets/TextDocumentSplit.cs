namespace Hanlin.Training.Datasets;

/// <summary>How a plain-text dataset is cut into documents (one training example each).</summary>
public enum TextDocumentSplit
{
    /// <summary>
    /// Documents are separated by one or more blank lines; the lines of a document keep their line breaks.
    /// The default, because prose paragraphs and Markdown sections span several lines.
    /// </summary>
    BlankLines,

    /// <summary>Every non-blank line is a document (corpora exported one record per line).</summary>
    Lines,
}
