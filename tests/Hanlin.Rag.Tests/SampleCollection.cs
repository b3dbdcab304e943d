namespace Hanlin.Rag.Tests;

/// <summary>Test classes that read the ingested samples share one ingest (they only read from it).</summary>
[CollectionDefinition(Name)]
public sealed class SampleCollection : ICollectionFixture<SampleKnowledgeBase>
{
    public const string Name = "samples";
}
