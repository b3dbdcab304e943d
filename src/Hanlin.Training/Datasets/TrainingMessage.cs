namespace Hanlin.Training.Datasets;

/// <summary>One turn of a <see cref="TrainingExample"/>.</summary>
/// <param name="Role">Who speaks.</param>
/// <param name="Content">The turn's text, as read (not normalised).</param>
public sealed record TrainingMessage(ChatRole Role, string Content);
