using Hanlin.Core.Errors;
using Hanlin.Models.Templates;
using Hanlin.Models.Tokenization;
using Hanlin.Training.Datasets;

namespace Hanlin.Training.FineTuning;

/// <summary>
/// Turns <see cref="TrainingExample"/>s into token ids with labels: conversations are rendered with the model's own chat
/// template and learn only the assistant turns; plain text is continued pre-training, cut into windows that share one token, every token learnt.
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
    /// <param name="template">The model's chat template, or null for a base model (plain text only).</param>
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
    /// <exception cref="HanlinException"><see cref="ErrorCodes.ChatTemplateMissing"/> for a conversation when the model has no chat template; template errors name the example's line.</exception>
    public EncodedDataset EncodeAll(IEnumerable<TrainingExample> examples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var encoded = new List<EncodedExample>();
        int truncated = 0, dropped = 0;
        foreach (var example in examples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parts = Encode(example, out var wasTruncated);
            truncated += wasTruncated ? 1 : 0;
            var useful = parts.Where(part => part.LabelTokens > 0).ToList();
            dropped += useful.Count == 0 ? 1 : 0;
            encoded.AddRange(useful);
        }

        return new EncodedDataset(encoded, truncated, dropped);
    }

    /// <summary>Encodes one example: one sequence for a conversation, one or more windows for plain text.</summary>
    public IReadOnlyList<EncodedExample> Encode(TrainingExample example) => Encode(example, out _);

    private List<EncodedExample> Encode(TrainingExample example, out bool truncated)
    {
        ArgumentNullException.ThrowIfNull(example);
        if (example.IsPlainText)
        {
            return EncodeText(example.Messages[0].Content, out truncated);
        }

        if (_template is null)
        {
            throw new HanlinException(
                ErrorCodes.ChatTemplateMissing,
                $"The conversation at line {example.LineNumber} cannot be rendered: the model has no chat template (a base model). Fine-tune it on plain text, or use a chat model whose tokenizer_config.json or GGUF has a chat_template.");
        }

        try
        {
            return [EncodeConversation(example.Messages, out truncated)];
        }
        catch (HanlinException exception) when (exception.Code is ErrorCodes.ChatTemplateFailed or ErrorCodes.ChatTemplateRejected)
        {
            throw new HanlinException(exception.Code, $"The conversation at line {example.LineNumber}: {exception.Message}", exception);
        }
    }

    private List<EncodedExample> EncodeText(string text, out bool truncated)
    {
        var ids = new List<int>(_tokenizer.Encode(text, addSpecialTokens: true, parseSpecialTokens: false));
        if (_tokenizer.EosTokenId is { } eos)
        {
            ids.Add(eos);
        }

        // The first token of a window has nothing before it to be predicted from, so consecutive windows share one
        // token: every token after the document's first is then learnt exactly once per epoch.
        truncated = ids.Count > _maxLength;
        var windows = new List<EncodedExample>();
        for (var start = 0; start < ids.Count - 1; start += _maxLength - 1)
        {
            var window = ids.GetRange(start, Math.Min(_maxLength, ids.Count - start)).ToArray();
            windows.Add(new EncodedExample(window, (int[])window.Clone()));
        }

        return windows;
    }

    private EncodedExample EncodeConversation(IReadOnlyList<TrainingMessage> messages, out bool truncated)
    {
        var turns = messages.Select(m => new ChatTemplateMessage(RoleName(m.Role), m.Content)).ToList();
        var full = Tokenize(_template!.Render(turns, addGenerationPrompt: false, _templateVariables));
        var labels = new int[full.Length];
        Array.Fill(labels, EncodedExample.Ignore);
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
        }

        truncated = full.Length > _maxLength;
        return truncated ? new EncodedExample(full[.._maxLength], labels[.._maxLength]) : new EncodedExample(full, labels);
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
