namespace Hanlin.Retrieval.Analysis;

/// <summary>
/// A CJK token held back by <see cref="DomainTermFilter"/>: all it needs to emit it again (always as a keyword).
/// Its text is <paramref name="TextLength"/> chars at <paramref name="TextStart"/> of a buffer the filter owns.
/// </summary>
internal readonly record struct BufferedToken(int TextStart, int TextLength, int Start, int End, int PositionIncrement, string Type);
