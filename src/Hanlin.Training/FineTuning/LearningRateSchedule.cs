namespace Hanlin.Training.FineTuning;

/// <summary>How the learning rate falls after warm-up, over a stage's steps.</summary>
public enum LearningRateSchedule
{
    /// <summary>Linearly from the peak to zero at the stage's last step.</summary>
    Linear,

    /// <summary>Half a cosine from the peak to zero at the stage's last step.</summary>
    Cosine,

    /// <summary>The peak until the end.</summary>
    Constant,
}
