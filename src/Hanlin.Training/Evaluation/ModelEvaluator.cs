using Hanlin.Core.Errors;
using Hanlin.Models.Chat;
using Hanlin.Models.Generation;
using Hanlin.Training.Datasets;
using Hanlin.Training.FineTuning;
using static TorchSharp.torch;

namespace Hanlin.Training.Evaluation;

/// <summary>
/// Evaluates a local model on a dataset: perplexity and token accuracy of the learnt tokens (assistant turns, or all of
/// plain text, encoded by the trainer's <see cref="ExampleEncoder"/> so they are exactly the tokens fine-tuning learns) with teacher forcing, and for conversations the last answer generated greedily and scored with BLEU-4,
/// ROUGE-1/2/L, exact match and F1 against the reference. CPU-bound and synchronous; one example at a time, so memory
/// stays at one sequence's activations.
/// </summary>
public static class ModelEvaluator
{
    /// <summary>Evaluates <paramref name="model"/> on <paramref name="examples"/>; <paramref name="progress"/> receives the number of examples done.</summary>
    /// <exception cref="HanlinException"><c>dataset_empty</c> when there is no example, or no token to score.</exception>
    public static ModelEvaluationResult Evaluate(
        LocalChatModel model,
        IReadOnlyList<TrainingExample> examples,
        ModelEvaluationOptions? options = null,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new ModelEvaluationOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxNewTokens);
        var selected = options.MaxExamples is { } max ? examples.Take(max).ToList() : examples;
        if (selected.Count == 0)
        {
            throw new HanlinException(ErrorCodes.DatasetEmpty, "There is no example to evaluate.");
        }

        var context = model.Model.Config.MaxSequenceLength;
        var encoder = new ExampleEncoder(model.Tokenizer, model.Template, model.SpecialTokens, context);
        var generator = new TextGenerator(model.Model);
        var stops = new HashSet<int>(model.Defaults.StopTokenIds);
        stops.UnionWith(model.Tokenizer.StopTokenIds);
        double lossSum = 0;
        long tokens = 0;
        long correct = 0;
        var truncated = 0;
        var answers = new List<GeneratedAnswer>();
        using var noGrad = no_grad();
        for (var i = 0; i < selected.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var example = selected[i];
            var encoded = encoder.EncodeForEvaluation(example);
            truncated += encoded.Truncated ? 1 : 0;
            foreach (var sequence in encoded.Sequences)
            {
                var (sum, count, hits) = Score(model, sequence);
                lossSum += sum;
                tokens += count;
                correct += hits;
            }

            if (options.Generate && encoded is { PromptIds: { } prompt, ReferenceAnswer: { } reference } && prompt.Length < context)
            {
                var generated = generator.Generate(prompt, Math.Min(options.MaxNewTokens, context - prompt.Length), stops);
                var question = example.Messages.LastOrDefault(m => m.Role == ChatRole.User)?.Content ?? string.Empty;
                answers.Add(new GeneratedAnswer(example.LineNumber, question, reference, model.Tokenizer.Decode(generated, skipSpecialTokens: true).Trim()));
            }

            progress?.Report(i + 1);
        }

        if (tokens == 0)
        {
            throw new HanlinException(ErrorCodes.DatasetEmpty, "The examples have no token to score (no assistant turn, or nothing fits the context).");
        }

        var meanLoss = lossSum / tokens;
        return new ModelEvaluationResult(
            selected.Count,
            tokens,
            meanLoss,
            LanguageModelMetrics.PerplexityFromMeanLoss(meanLoss),
            (double)correct / tokens,
            truncated,
            answers.Count == 0 ? null : Score(answers),
            [.. answers.Take(options.SamplesKept)]);
    }

    /// <summary>BLEU-4, ROUGE and EM/F1 of <paramref name="answers"/> against their references.</summary>
    public static GenerationMetrics Score(IReadOnlyList<GeneratedAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentOutOfRangeException.ThrowIfZero(answers.Count);
        var predictions = answers.Select(a => a.Prediction).ToList();
        var references = answers.Select(a => a.Reference).ToList();
        var rouge = Rouge.Average(predictions, references);
        var qa = AnswerMetrics.Average(predictions, references);
        return new GenerationMetrics(answers.Count, Bleu.Corpus(predictions, references).Score, rouge.Rouge1, rouge.Rouge2, rouge.RougeL, qa.ExactMatch, qa.F1);
    }

    // Teacher forcing: one forward over the whole sequence; logits at position p score token p + 1.
    // Returns the summed negative log-likelihood (nats), the number of scored tokens and how many were the argmax.
    private static (double Sum, long Count, long Correct) Score(LocalChatModel model, EncodedExample encoded)
    {
        var positions = new List<long>();
        var targets = new List<long>();
        for (var p = 0; p + 1 < encoded.InputIds.Length; p++)
        {
            if (encoded.Labels[p + 1] != EncodedExample.Ignore)
            {
                positions.Add(p);
                targets.Add(encoded.Labels[p + 1]);
            }
        }

        if (positions.Count == 0)
        {
            return (0, 0, 0);
        }

        using var scope = NewDisposeScope();
        var length = encoded.InputIds.Length;
        using var cache = model.Model.CreateCache(1, length);
        var input = tensor(encoded.InputIds.Select(id => (long)id).ToArray(), 1, length);
        var logits = model.Model.Forward(input, 0, cache);                                  // [1, seq, vocab]
        var rows = logits[0].index_select(0, tensor(positions.ToArray())).log_softmax(-1); // [n, vocab]
        var target = tensor(targets.ToArray()).unsqueeze(1);                               // [n, 1]
        var nll = rows.gather(1, target).squeeze(1).neg().to(ScalarType.Float64);         // [n]
        var predicted = rows.argmax(1).data<long>().ToArray();
        var correct = predicted.Where((id, i) => id == targets[i]).LongCount();
        return (nll.sum().item<double>(), positions.Count, correct);
    }
}
