using Hanlin.Core.Errors;
using Hanlin.Models.Templates;
using Hanlin.Models.Tokenization;
using Hanlin.Training.Datasets;

namespace Hanlin.Training.FineTuning;

/// <summary>
/// Turns <see cref="TrainingExample"/>s into token ids with labels, for training and for evaluation alike (so evaluation
/// scores exactly the tokens training learns): conversations are rendered with the model's own chat template and learn
/// only the assistant turns; plain text is continued pre-training, cut into windows that share one token, every token learnt.
/// A base model without a template reads a conversation as its turns' text, each followed by a newline, after BOS, and
/// learns each answer with EOS after it.
/// </summary>
/// <remarks>
/// Assistant spans are found by rendering prefixes of the conversation, not by searching the text for markers: the
/// prefix up to an assistant turn with the generation prompt ends where its content starts, and the prefix including
/// that turn ends where the turn ends (its end-of-turn marker included, so the model learns to stop). Each prefix is
/// tokenized and matched against the full sequence's ids, so a boundary that BPE merges across still lands on a token.
/// </remarks>
public sealed class ExampleEncoder
{
    private readonly ITextTokenizer _tokenizer;
    private readonly ChatTemplate? _template;
    private readonly IReadOnlyDictionary<string, object?> _templateVariables;
    private readonly int _maxLength;

    /// <summary>Creates an encoder for one model.</summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="template">The model's chat template, or null for a base model.</param>
    /// <param name="templateVariables">Variables the template expects besides the messages (<c>bos_token</c>, <c>eos_token</c>...), see <see cref="ChatTemplateConfig.SpecialTokens"/>.</param>
    /// <param name="maxLength">Longest sequence in tokens; longer ones are truncated (conversations) or windowed (text).</param>
    public ExampleEncoder(ITextTokenizer tokenizer, ChatTemplate? template, IReadOnlyDictionary<string, object?>? templateVariables, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        _tokenizer = tokenizer;
        _template = template;
        _templateVariables = templateVariables ?? new Dictionary<string, object?>();
        _maxLength = maxLength;
    }

    /// <summary>
    /// Encodes every example; those left with nothing to learn after truncation are counted in
    /// <see cref="EncodedDataset.Dropped"/>, not returned.
    /// </summary>
    /// <exception cref="HanlinException">Template errors, naming the example's line.</exception>
    public EncodedDataset EncodeAll(IEnumerable<TrainingExample> examples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var encoded = new List<EncodedExample>();
        int truncated = 0, dropped = 0;
        foreach (var example in examples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parts = EncodeForEvaluation(example);
            truncated += parts.Truncated || parts.Sequences.Count > 1 ? 1 : 0; // a windowed document counts as truncated here
            var useful = parts.Sequences.Where(part => part.LabelTokens > 0).ToList();
            dropped += useful.Count == 0 ? 1 : 0;
            encoded.AddRange(useful);
        }

        return new EncodedDataset(encoded, truncated, dropped);
    }

    /// <summary>Encodes one example: one sequence for a conversation, one or more windows for plain text.</summary>
    public IReadOnlyList<EncodedExample> Encode(TrainingExample example) => EncodeForEvaluation(example).Sequences;

    /// <summary>
    /// Encodes one example into the sequences <see cref="Encode"/> returns, with the prompt and reference text of its
    /// last assistant turn for scoring a generated answer.
    /// </summary>
    /// <exception cref="HanlinException">Template errors, naming the example's line.</exception>
    public EncodedEvaluationExample EncodeForEvaluation(TrainingExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        if (example.IsPlainText)
        {
            return new EncodedEvaluationExample(EncodeText(example.Messages[0].Content), null, null, false);
        }

        if (_template is null)
        {
            return EncodeWithoutTemplate(example.Messages);
        }

        try
        {
            return EncodeConversation(example.Messages);
        }
        catch (HanlinException exception) when (exception.Code is ErrorCodes.ChatTemplateFailed or ErrorCodes.ChatTemplateRejected)
        {
            throw new HanlinException(exception.Code, $"The conversation at line {example.LineNumber}: {exception.Message}", exception);
        }
    }

    private List<EncodedExample> EncodeText(string text)
    {
        var ids = new List<int>(_tokenizer.Encode(text, addSpecialTokens: true, parseSpecialTokens: false));
        if (_tokenizer.EosTokenId is { } eos)
        {
            ids.Add(eos);
        }

        // The first token of a window has nothing before it to be predicted from, so consecutive windows share one
        // token: every token after the document's first is then learnt exactly once per epoch.
        var windows = new List<EncodedExample>();
        for (var start = 0; start < ids.Count - 1; start += _maxLength - 1)
        {
            var window = ids.GetRange(start, Math.Min(_maxLength, ids.Count - start)).ToArray();
            windows.Add(new EncodedExample(window, (int[])window.Clone()));
        }

        return windows;
    }

    private EncodedEvaluationExample EncodeConversation(IReadOnlyList<TrainingMessage> messages)
    {
        var turns = messages.Select(m => new ChatTemplateMessage(RoleName(m.Role), m.Content)).ToList();
        var full = Tokenize(_template!.Render(turns, addGenerationPrompt: false, _templateVariables));
        var labels = new int[full.Length];
        Array.Fill(labels, EncodedExample.Ignore);
        int[]? prompt = null;
        string? reference = null;
        for (var i = 0; i < turns.Count; i++)
        {
            if (messages[i].Role != ChatRole.Assistant)
            {
                continue;
            }

            var before = Tokenize(_template.Render(turns[..i], addGenerationPrompt: true, _templateVariables));
            var through = Tokenize(_template.Render(turns[..(i + 1)], addGenerationPrompt: false, _templateVariables));
            var start = CommonPrefix(before, full);
            var end = CommonPrefix(through, full);
            for (var t = start; t < end; t++)
            {
                labels[t] = full[t];
            }

            prompt = before;
            reference = messages[i].Content;
        }

        return Truncate(full, labels, prompt, reference);
    }

    // No template: the turns' text, each followed by a newline, after BOS; each answer is tokenized on its own and
    // followed by EOS so the model learns to stop.
    private EncodedEvaluationExample EncodeWithoutTemplate(IReadOnlyList<TrainingMessage> messages)
    {
        var ids = new List<int>();
        var labels = new List<int>();
        int[]? prompt = null;
        string? reference = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var first = i == 0;
            if (messages[i].Role == ChatRole.Assistant)
            {
                prompt = [.. ids];
                reference = messages[i].Content;
                var answer = _tokenizer.Encode(messages[i].Content, addSpecialTokens: first, parseSpecialTokens: false);
                Append(ids, labels, answer, learnt: true);
                if (_tokenizer.EosTokenId is { } eos)
                {
                    Append(ids, labels, [eos], learnt: true);
                }
            }
            else
            {
                Append(ids, labels, _tokenizer.Encode(messages[i].Content + "\n", addSpecialTokens: first, parseSpecialTokens: false), learnt: false);
            }
        }

        return Truncate([.. ids], [.. labels], prompt, reference);
    }

    private EncodedEvaluationExample Truncate(int[] ids, int[] labels, int[]? prompt, string? reference)
    {
        var truncated = ids.Length > _maxLength;
        var sequence = truncated ? new EncodedExample(ids[.._maxLength], labels[.._maxLength]) : new EncodedExample(ids, labels);
        return new EncodedEvaluationExample([sequence], prompt, reference, truncated);
    }

    private static void Append(List<int> ids, List<int> labels, int[] tokens, bool learnt)
    {
        ids.AddRange(tokens);
        labels.AddRange(learnt ? tokens : Enumerable.Repeat(EncodedExample.Ignore, tokens.Length));
    }

    // The rendered text already holds the template's special tokens (BOS included where the template writes it),
    // so none are added, as transformers' apply_chat_template(tokenize=True) does.
    private int[] Tokenize(string text) => _tokenizer.Encode(text, addSpecialTokens: false, parseSpecialTokens: true);

    private static int CommonPrefix(int[] prefix, int[] full)
    {
        var n = Math.Min(prefix.Length, full.Length);
        var i = 0;
        while (i < n && prefix[i] == full[i])
        {
            i++;
        }

        return i;
    }

    private static string RoleName(ChatRole role) => role switch
    {
        ChatRole.System => "system",
        ChatRole.User => "user",
        ChatRole.Assistant => "assistant",
        _ => throw new HanlinException(ErrorCodes.DatasetInvalid, $"A plain-text segment cannot be part of a conversation (role {role})."),
    };
}
