namespace Hanlin.Training.Registry;

/// <summary>The result of re-hashing a registered model directory.</summary>
/// <param name="Model">The model verified.</param>
/// <param name="Problems">Every mismatching, missing and extra file, ordered by path; empty when intact.</param>
public sealed record ModelVerification(ModelEntry Model, IReadOnlyList<ModelFileProblem> Problems)
{
    /// <summary>True when every registered file is present and unchanged and nothing was added.</summary>
    public bool IsIntact => Problems.Count == 0;
}
