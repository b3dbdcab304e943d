using static TorchSharp.torch;

namespace Hanlin.Training.FineTuning;

/// <summary>
/// What <see cref="FineTuneTrainer"/> needs of a model: its trainable tensors by name, a causal-LM loss, and a way to
/// save the trained result in the model's own format (PEFT for LoRA). A seam because the trainer serves LoRA on a
/// Llama model  and any other TorchSharp model a test or a future method builds.
/// </summary>
public interface ITrainableModel
{
    /// <summary>
    /// The tensors the optimiser updates, each a leaf with <c>requires_grad</c>, with a stable unique name; the
    /// order is part of the checkpoint format and must not change between runs. Frozen weights are not listed.
    /// </summary>
    IReadOnlyList<KeyValuePair<string, Tensor>> TrainableParameters { get; }

    /// <summary>
    /// The mean cross-entropy over the label tokens of <paramref name="batch"/> (labels aligned with the input ids and
    /// shifted inside, as Hugging Face does; <c>-100</c> is ignored), a scalar float tensor attached to the graph.
    /// </summary>
    /// <param name="batch">Input ids, labels and attention mask, <c>[batch, seq]</c>.</param>
    /// <param name="dropout">
    /// The run's generator when training, for every random draw (dropout masks) so a seeded run is reproducible and
    /// resumable; null in evaluation, which must be deterministic (no dropout).
    /// </param>
    Tensor Loss(TrainingBatch batch, Generator? dropout);

    /// <summary>Writes the trained result (e.g. a PEFT adapter) into the empty directory <paramref name="directory"/>.</summary>
    void SaveTrained(string directory);
}
