using Lucene.Net.Documents;
using Lucene.Net.Index;

namespace Hanlin.Retrieval.Lexical;

/// <summary>
/// One set of Lucene fields reused for every chunk a batch indexes (Lucene's documented way to index fast):
/// a new field per chunk also builds a new token stream and attribute set per field, which cost about as
/// much as analysing a short chunk. Not thread-safe; one instance per writing thread.
/// </summary>
internal sealed class ChunkDocumentFields
{
    // Analysed fields keep term frequencies and norms (all BM25 needs) but no positions: no query Hanlin builds
    // is positional. Lucene downgrades a field indexed with positions in older segments when they merge, so
    // indexes written before stay readable and searchable.
    private static readonly FieldType AnalysedType = NewAnalysedType();

    private readonly StringField _id = new(LuceneBm25Index.IdField, string.Empty, Field.Store.YES);
    private readonly StringField _collection = new(LuceneBm25Index.CollectionField, string.Empty, Field.Store.YES);
    private readonly StringField _document = new(LuceneBm25Index.DocumentField, string.Empty, Field.Store.YES);
    private readonly Field _text = new(LuceneBm25Index.TextField, string.Empty, AnalysedType);
    private readonly Field _name = new(LuceneBm25Index.TitleField, string.Empty, AnalysedType);
    private readonly Field _title = new(LuceneBm25Index.TitleField, string.Empty, AnalysedType);
    private readonly Field _section = new(LuceneBm25Index.SectionField, string.Empty, AnalysedType);
    private readonly Int64Field _updated = new(LuceneBm25Index.UpdatedField, 0L, Field.Store.NO);
    private readonly StringField _version = new(LuceneBm25Index.VersionField, string.Empty, Field.Store.NO);
    private readonly Int32Field _page = new(LuceneBm25Index.PageField, 0, Field.Store.YES);

    /// <summary>The fields of <paramref name="chunk"/>, as <see cref="LuceneBm25Index"/> indexes every chunk; valid until the next call.</summary>
    public Document Fill(IndexedChunk chunk)
    {
        _id.SetStringValue(chunk.ChunkId);
        _collection.SetStringValue(chunk.CollectionId);
        _document.SetStringValue(chunk.DocumentId);
        _text.SetStringValue(chunk.Text);
        _name.SetStringValue(chunk.DocumentName);
        _section.SetStringValue(chunk.SectionPath);
        _updated.SetInt64Value(chunk.UpdatedAt.ToUnixTimeMilliseconds());
        var doc = new Document { _id, _collection, _document, _text, _name, _section, _updated };
        if (!string.IsNullOrWhiteSpace(chunk.Title))
        {
            _title.SetStringValue(chunk.Title);
            doc.Add(_title);
        }

        if (chunk.VersionId is { } version)
        {
            _version.SetStringValue(version);
            doc.Add(_version);
        }

        if (chunk.PageStart is { } page)
        {
            _page.SetInt32Value(page);
            doc.Add(_page);
        }

        foreach (var (key, value) in chunk.Tags)
        {
            doc.Add(new StringField(LuceneBm25Index.TagField, LuceneBm25Index.TagTerm(key, value), Field.Store.NO));
        }

        return doc;
    }

    private static FieldType NewAnalysedType()
    {
        var type = new FieldType(TextField.TYPE_NOT_STORED) { IndexOptions = IndexOptions.DOCS_AND_FREQS };
        type.Freeze();
        return type;
    }
}
