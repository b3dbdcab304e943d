namespace Hanlin.Ingestion.Chunking;

/// <summary>
/// Blocks that chunks may join: the headings introducing a section (block indices
/// [HeadingStart, HeadingEnd)) and the body blocks under them [BodyStart, BodyEnd), which share one
/// section path. Either range may be empty, not both.
/// </summary>
internal sealed record DocumentSection(int HeadingStart, int HeadingEnd, int BodyStart, int BodyEnd, string SectionPath);
