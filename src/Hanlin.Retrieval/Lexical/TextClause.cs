using Lucene.Net.Index;

namespace Hanlin.Retrieval.Lexical;

/// <summary>
/// One SHOULD term clause of a BM25 text query: the analysed term in one field, with its boost (field boost times
/// context boost). <paramref name="States"/> are the term's per-segment states in the searcher's reader.
/// </summary>
internal sealed record TextClause(Term Term, TermContext States, float Boost);
