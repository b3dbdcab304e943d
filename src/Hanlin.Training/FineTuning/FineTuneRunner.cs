using Hanlin.Core.Errors;
using Hanlin.Models.Chat;
using Hanlin.Training.Datasets;
using static TorchSharp.torch;

namespace Hanlin.Training.FineTuning;

/// <summary>
/// One LoRA fine-tuning job end to end: load the base model (Hugging Face directory, GGUF or llama2.c checkpoint) with
/// its tokenizer and chat template, encode the dataset, train a fresh adapter and save it in the PEFT format.
/// </summary>
public static class FineTuneRunner
{
    /// <summary>
    /// Fine-tunes the model at <paramref name="modelPath"/> on <paramref name="dataset"/> (train split learnt, validation
    /// split evaluated, test split left alone) in <paramref name="runDirectory"/>, resuming from its latest checkpoint
    /// when it has one of the same options. The PEFT adapter is in <see cref="FineTuneResult.OutputDirectory"/>.
    /// </summary>
    /// <exception cref="HanlinException">
    /// Bad options (<c>invalid_argument</c>, naming the field), a model that cannot be loaded, a chat template that fails
    /// on a conversation (naming its line), an empty training split (<c>dataset_empty</c>), a diverging
    /// loss (<c>training_diverged</c>), a checkpoint that cannot be written (<c>checkpoint_failed</c>).
    /// </exception>
    public static async Task<FineTuneResult> RunAsync(
        string modelPath,
        FineTuneOptions options,
        SplitResult dataset,
        string runDirectory,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataset);
        options.ThrowIfInvalid();
        if (dataset.Train.Count == 0)
        {
            throw new HanlinException(ErrorCodes.DatasetEmpty, "The dataset's training split is empty.");
        }

        var dtype = options.Precision == TrainingPrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;
        using var chat = await LocalChatModel.LoadAsync(Path.GetFileName(Path.TrimEndingDirectorySeparator(modelPath)), modelPath, dtype: dtype, cancellationToken: cancellationToken).ConfigureAwait(false);
        var encoder = new ExampleEncoder(chat.Tokenizer, chat.Template, chat.SpecialTokens, options.MaxSequenceLength);
        var train = encoder.EncodeAll(dataset.Train, cancellationToken);
        var validation = encoder.EncodeAll(dataset.Validation, cancellationToken);
        using var lora = LoraTrainingModel.Create(chat.Model, options.Lora, options.Seed, chat.Name);
        var trainer = new FineTuneTrainer(lora, options, chat.Tokenizer.EosTokenId ?? 0);
        return await trainer.RunAsync(train.Examples, validation.Examples, runDirectory, progress, cancellationToken).ConfigureAwait(false);
    }
}
