namespace Hanlin.Rag.Text;

/// <summary>One term the analyzer emitted, with its character span in the analysed text.</summary>
/// <param name="Term">The term; equal terms are one shared string instance.</param>
/// <param name="Start">Offset of its first character.</param>
/// <param name="End">Offset just past its last character.</param>
/// <param name="IsContent">Whether it is a content term (<see cref="ContentTerms.Of"/> keeps only these).</param>
internal readonly record struct AnalysedToken(string Term, int Start, int End, bool IsContent);
