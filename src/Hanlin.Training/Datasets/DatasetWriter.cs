using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hanlin.Core.Errors;

namespace Hanlin.Training.Datasets;

/// <summary>
/// Writes examples back to a file <see cref="DatasetReader"/> reads unchanged: conversations as OpenAI chat JSONL,
/// plain-text examples as documents separated by one blank line (a document read with
/// <see cref="TextDocumentSplit.BlankLines"/> never contains a blank line, so the round trip is exact). The file is
/// written beside its final path and moved over it, so a crash never leaves half a dataset.
/// </summary>
public static class DatasetWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The file extension for <paramref name="examples"/>: <c>.txt</c> when all are plain text, else <c>.jsonl</c>.</summary>
    public static string ExtensionFor(IReadOnlyCollection<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return examples.Count > 0 && examples.All(e => e.IsPlainText) ? ".txt" : ".jsonl";
    }

    /// <summary>Writes <paramref name="examples"/> to <paramref name="path"/>, replacing it.</summary>
    /// <exception cref="HanlinException"><c>invalid_argument</c> when plain text and conversations are mixed; <c>unreadable_file</c> when the file cannot be written.</exception>
    public static async Task WriteAsync(string path, IReadOnlyCollection<TrainingExample> examples, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(examples);
        var plain = examples.Count(e => e.IsPlainText);
        if (plain > 0 && plain < examples.Count)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"Plain-text and conversation examples cannot be written to one file ('{path}').");
        }

        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                if (plain > 0)
                {
                    await WriteTextAsync(stream, examples, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await WriteChatAsync(stream, examples, cancellationToken).ConfigureAwait(false);
                }

                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new HanlinException(ErrorCodes.UnreadableFile, $"The dataset file '{path}' cannot be written: {ex.Message}", ex);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static async Task WriteChatAsync(Stream stream, IEnumerable<TrainingExample> examples, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        foreach (var example in examples)
        {
            buffer.SetLength(0);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("messages");
                foreach (var message in example.Messages)
                {
                    writer.WriteStartObject();
                    writer.WriteString("role", message.Role.ToString().ToLowerInvariant());
                    writer.WriteString("content", message.Content);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            buffer.WriteByte((byte)'\n');
            await stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteTextAsync(Stream stream, IEnumerable<TrainingExample> examples, CancellationToken cancellationToken)
    {
        var first = true;
        foreach (var example in examples)
        {
            var text = (first ? string.Empty : "\n") + example.Messages[0].Content.Trim() + "\n";
            first = false;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        }
    }
}
