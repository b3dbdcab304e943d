using Hanlin.Training.Datasets;

namespace Hanlin.Training.Synthesis;

/// <summary>What <see cref="KnowledgeDatasetBuilder"/> produced.</summary>
/// <param name="Pairs">Every pair, in order, with its provenance.</param>
/// <param name="Examples">The pairs as chat examples, ready for <see cref="DatasetWriter"/>.</param>
/// <param name="Passages">Passages read.</param>
/// <param name="SkippedPassages">Passages too short, or for which the teacher gave no usable question.</param>
public sealed record KnowledgeDatasetResult(IReadOnlyList<KnowledgePair> Pairs, IReadOnlyList<TrainingExample> Examples, int Passages, int SkippedPassages)
{
    /// <summary>Pairs per origin.</summary>
    public IReadOnlyDictionary<KnowledgePairOrigin, int> CountsByOrigin() =>
        Enum.GetValues<KnowledgePairOrigin>().ToDictionary(o => o, o => Pairs.Count(p => p.Origin == o));
}
