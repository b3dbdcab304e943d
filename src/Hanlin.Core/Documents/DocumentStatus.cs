namespace Hanlin.Core.Documents;

/// <summary>State of a stored document's current version.</summary>
public enum DocumentStatus
{
    /// <summary>Text extracted and chunked.</summary>
    Ready,

    /// <summary>Stored, but some or all pages have no text layer and wait for OCR.</summary>
    NeedsOcr,
}
