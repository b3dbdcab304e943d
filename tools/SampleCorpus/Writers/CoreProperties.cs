using System.Security;
using System.Text;
using DocumentFormat.OpenXml.Packaging;

namespace SampleCorpus.Writers;

/// <summary>
/// Adds docProps/core.xml with the title only. PackageProperties would do this too, but it names the part and
/// its relationship with random GUIDs and stamps no fixed time, which makes every regeneration differ.
/// </summary>
internal static class CoreProperties
{
    public const string MainPartRelationshipId = "rId1";
    private const string RelationshipId = "rId2";

    public static void Add(OpenXmlPackage package, string title)
    {
        var part = package.AddNewPart<CoreFilePropertiesPart>(RelationshipId);
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{SecurityElement.Escape(title)}</dc:title><dc:creator>Hanlin SampleCorpus</dc:creator></cp:coreProperties>
            """;
        using var stream = new MemoryStream(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(xml));
        part.FeedData(stream);
    }
}
