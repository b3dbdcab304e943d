namespace Hanlin.Training.Datasets;

/// <summary>The file formats a training dataset can be read from.</summary>
public enum DatasetFormat
{
    /// <summary>Detect the format from the first non-blank lines (see <see cref="DatasetFormatDetector"/>).</summary>
    Auto,

    /// <summary>OpenAI fine-tuning JSONL: <c>{"messages":[{"role":"user","content":"..."}, ...]}</c>.</summary>
    Chat,

    /// <summary>Alpaca JSONL: <c>instruction</c>, optional <c>input</c>, <c>output</c>, optional <c>system</c> and <c>history</c>.</summary>
    Alpaca,

    /// <summary>ShareGPT JSONL: <c>{"conversations":[{"from":"human","value":"..."}, ...]}</c>.</summary>
    ShareGpt,

    /// <summary>Plain text for continued pre-training; see <see cref="TextDocumentSplit"/>.</summary>
    Text,
}
