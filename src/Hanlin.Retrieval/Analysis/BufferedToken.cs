namespace Hanlin.Retrieval.Analysis;

/// <summary>A CJK token held back by <see cref="DomainTermFilter"/>: all it needs to emit it again (always as a keyword).</summary>
internal readonly record struct BufferedToken(string Text, int Start, int End, int PositionIncrement, string Type);
