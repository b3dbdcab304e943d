namespace Hanlin.Training.Datasets;

/// <summary>The part of a dataset an example belongs to.</summary>
public enum DatasetSplit
{
    /// <summary>Examples the model learns from.</summary>
    Train,

    /// <summary>Examples evaluated during training (early stopping, model selection).</summary>
    Validation,

    /// <summary>Examples held out until the final evaluation.</summary>
    Test,
}
