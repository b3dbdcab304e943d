using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;

namespace Hanlin.Retrieval.Lexical;

/// <summary>Gives every searcher the BM25 similarity the index was written with (norms must agree).</summary>
internal sealed class Bm25SearcherFactory(Similarity similarity) : SearcherFactory
{
    public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = similarity };
}
