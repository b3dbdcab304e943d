using System.Text;

namespace Hanlin.Ingestion.Extraction;

/// <summary>What an extractor knows besides the bytes: the file name (for messages) and the limits.</summary>
/// <param name="FileName">Display name of the file, for error messages only.</param>
/// <param name="MediaType">The sniffed media type.</param>
/// <param name="Limits">Resource limits to enforce.</param>
/// <param name="Encoding">For text formats, the encoding the sniffer detected (null: extractor decides).</param>
public sealed record ExtractionContext(string FileName, string MediaType, ExtractionLimits Limits, Encoding? Encoding = null);
