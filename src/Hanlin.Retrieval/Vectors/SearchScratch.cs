namespace Hanlin.Retrieval.Vectors;

/// <summary>
/// Reusable per-search state: a generation-stamped visited set (no clearing between searches) and the two
/// heaps of the HNSW layer search. One instance is used by one thread at a time.
/// </summary>
internal sealed class SearchScratch
{
    private int[] _marks = [];
    private int _generation;

    /// <summary>Nearest first (priority = distance).</summary>
    public PriorityQueue<int, float> Candidates { get; } = new();

    /// <summary>Farthest first (priority = -distance), holding the best results found so far.</summary>
    public PriorityQueue<int, float> Results { get; } = new();

    public void Begin(int capacity)
    {
        if (_marks.Length < capacity)
        {
            _marks = new int[Math.Max(capacity, _marks.Length * 2)];
            _generation = 0;
        }

        _generation++;
        if (_generation == int.MaxValue)
        {
            Array.Clear(_marks);
            _generation = 1;
        }

        Candidates.Clear();
        Results.Clear();
    }

    /// <summary>Marks <paramref name="id"/> visited; false when it already was.</summary>
    public bool Visit(int id)
    {
        if (_marks[id] == _generation)
        {
            return false;
        }

        _marks[id] = _generation;
        return true;
    }
}
