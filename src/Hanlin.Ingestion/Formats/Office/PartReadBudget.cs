using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// Bounds the bytes actually inflated from one package's parts. The guard checks declared sizes, which a
/// hostile zip can understate; every part an extractor reads goes through this shared budget instead.
/// </summary>
internal sealed class PartReadBudget(string fileName, long maxBytes)
{
    private readonly long _maxBytes = maxBytes;
    private long _remaining = maxBytes;

    public string FileName { get; } = fileName;

    /// <summary>Opens <paramref name="part"/> for reading, charging its bytes to this budget.</summary>
    public Stream Open(OpenXmlPart part) => Wrap(part.GetStream(FileMode.Open, FileAccess.Read));

    /// <summary>Charges every byte read from <paramref name="inflated"/> to this budget; disposing the wrapper disposes it.</summary>
    public Stream Wrap(Stream inflated) => new BoundedReadStream(inflated, this);

    /// <summary>A SAX-style reader over <paramref name="part"/> that creates strongly typed elements.</summary>
    public OpenXmlReader Reader(OpenXmlPart part, Func<Stream, OpenXmlPartReaderOptions, OpenXmlReader> create)
    {
        // Strict OOXML uses other namespaces that only the SDK's own part reader maps onto the typed classes.
        // Its reads are not charged here, but .NET still stops each entry at the size the guard accepted.
        if (part.OpenXmlPackage.StrictRelationshipFound)
        {
            return OpenXmlReader.Create(part);
        }

        return create(Open(part), new OpenXmlPartReaderOptions { CloseStream = true });
    }

    /// <summary>Loads the whole root element of a small part (styles, numbering, a slide) as a DOM.</summary>
    public T? LoadRoot<T>(OpenXmlPart? part, Func<Stream, OpenXmlPartReaderOptions, OpenXmlReader> create)
        where T : OpenXmlElement
    {
        if (part is null)
        {
            return null;
        }

        using var reader = Reader(part, create);
        while (reader.Read())
        {
            if (reader.IsStartElement)
            {
                return reader.LoadCurrentElement() as T;
            }
        }

        return null;
    }

    public void Charge(int bytes)
    {
        _remaining -= bytes;
        if (_remaining < 0)
        {
            throw OfficePackageGuard.Bomb(FileName, $"its parts inflate to more than {_maxBytes:N0} bytes");
        }
    }
}
