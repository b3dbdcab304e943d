using Hanlin.Core.Errors;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Pipeline;

/// <summary>Maps a sniffed media type to the extractor registered for it.</summary>
public sealed class ExtractorRegistry
{
    private readonly Dictionary<string, IDocumentExtractor> _byMediaType = new(StringComparer.OrdinalIgnoreCase);

    public ExtractorRegistry(IEnumerable<IDocumentExtractor> extractors)
    {
        ArgumentNullException.ThrowIfNull(extractors);
        foreach (var extractor in extractors)
        {
            foreach (var mediaType in extractor.MediaTypes)
            {
                _byMediaType[mediaType] = extractor;
            }
        }
    }

    public IReadOnlyCollection<string> MediaTypes => _byMediaType.Keys;

    public IDocumentExtractor Get(string mediaType, string fileName) =>
        _byMediaType.TryGetValue(mediaType, out var extractor)
            ? extractor
            : throw new HanlinException(ErrorCodes.UnsupportedMediaType, $"'{fileName}' is {mediaType}, which Hanlin cannot ingest.");
}
