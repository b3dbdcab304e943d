using System.Text;

namespace Hanlin.Ingestion.Sniffing;

/// <summary>What content sniffing found: the media type and, for text formats, the detected encoding.</summary>
/// <param name="MediaType">One of <see cref="Core.Documents.MediaTypes"/>.</param>
/// <param name="Encoding">The text encoding for text formats; null for binary formats.</param>
public sealed record SniffResult(string MediaType, Encoding? Encoding = null);
