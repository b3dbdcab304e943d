using Hanlin.Core.Errors;
using Hanlin.Ingestion.Extraction;
using Hanlin.Ingestion.Sniffing;

namespace Hanlin.Ingestion.Formats.Text;

/// <summary>Reads a text file whole, enforcing the size limit and using the sniffed encoding when given.</summary>
internal static class TextInput
{
    public static string Read(Stream content, ExtractionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        if (content.CanSeek && content.Length - content.Position > context.Limits.MaxFileBytes)
        {
            throw new HanlinException(ErrorCodes.FileTooLarge, $"'{context.FileName}' is larger than the {context.Limits.MaxFileBytes / (1024 * 1024)} MiB limit.");
        }

        try
        {
            return TextDecoder.ReadAllText(content, context.Encoding);
        }
        catch (IOException ex)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"'{context.FileName}' could not be read: {ex.Message}", ex);
        }
    }
}
