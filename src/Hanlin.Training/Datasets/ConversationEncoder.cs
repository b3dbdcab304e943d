using Hanlin.Core.Errors;
using Hanlin.Models.Chat;
using Hanlin.Models.Templates;
using Hanlin.Training.Evaluation;

namespace Hanlin.Training.Datasets;

/// <summary>
/// Renders <see cref="TrainingExample"/>s with a model's own chat template and tokenizer and marks the tokens a
/// supervised loss is computed on: the assistant turns (the template's end-of-turn marker included, so the model
/// learns to stop), never the system or user turns. Base models without a template get the turns' text, each
/// followed by a newline, after BOS, with EOS after every answer. Plain-text examples are learnt entirely.
/// </summary>
/// <remarks>
/// The template is rendered once per assistant turn (the conversation up to it with the generation prompt, then with
/// the answer), and each new piece of text is tokenised on its own: this is how the assistant span is located without
/// character offsets from the tokenizer, at the cost that a token never straddles a turn boundary (as in
/// LLaMA-Factory's per-turn encoding).
/// </remarks>
public sealed class ConversationEncoder
{
    private readonly LocalChatModel _model;

    /// <summary>Creates an encoder for <paramref name="model"/>, which the caller keeps owning.</summary>
    public ConversationEncoder(LocalChatModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <summary>Encodes <paramref name="example"/>, keeping at most <paramref name="maxTokens"/> (default: the model's context) ids.</summary>
    /// <exception cref="HanlinException"><c>chat_template_failed</c> when the template renders a conversation differently once it grows (its turns cannot be located).</exception>
    public EncodedConversation Encode(TrainingExample example, int? maxTokens = null)
    {
        ArgumentNullException.ThrowIfNull(example);
        var limit = maxTokens ?? _model.Model.Config.MaxSequenceLength;
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 2, nameof(maxTokens));
        var ids = new List<int>();
        var labels = new List<long>();
        int[]? promptIds = null;
        string? reference = null;
        var tokenizer = _model.Tokenizer;
        if (example.IsPlainText)
        {
            var text = tokenizer.Encode(example.Messages[0].Content, addSpecialTokens: true, parseSpecialTokens: false);
            Append(ids, labels, text, learnt: true);
            if (tokenizer.EosTokenId is { } eos)
            {
                Append(ids, labels, [eos], learnt: true);
            }
        }
        else if (_model.Template is null)
        {
            EncodeWithoutTemplate(example, ids, labels, ref promptIds, ref reference);
        }
        else
        {
            EncodeWithTemplate(example, _model.Template, ids, labels, ref promptIds, ref reference);
        }

        var truncated = ids.Count > limit;
        if (truncated)
        {
            ids.RemoveRange(limit, ids.Count - limit);
            labels.RemoveRange(limit, labels.Count - limit);
        }

        return new EncodedConversation([.. ids], [.. labels], promptIds, reference, truncated);
    }

    private void EncodeWithoutTemplate(TrainingExample example, List<int> ids, List<long> labels, ref int[]? promptIds, ref string? reference)
    {
        var tokenizer = _model.Tokenizer;
        var first = true;
        foreach (var message in example.Messages)
        {
            if (message.Role == ChatRole.Assistant)
            {
                promptIds = [.. ids];
                reference = message.Content;
                var answer = tokenizer.Encode(message.Content, addSpecialTokens: first, parseSpecialTokens: false);
                Append(ids, labels, answer, learnt: true);
                if (tokenizer.EosTokenId is { } eos)
                {
                    Append(ids, labels, [eos], learnt: true);
                }
            }
            else
            {
                Append(ids, labels, tokenizer.Encode(message.Content + "\n", addSpecialTokens: first, parseSpecialTokens: false), learnt: false);
            }

            first = false;
        }
    }

    private void EncodeWithTemplate(TrainingExample example, ChatTemplate template, List<int> ids, List<long> labels, ref int[]? promptIds, ref string? reference)
    {
        var messages = example.Messages.Select(m => new ChatTemplateMessage(m.Role.ToString().ToLowerInvariant(), m.Content)).ToList();
        var rendered = string.Empty;
        for (var i = 0; i < messages.Count; i++)
        {
            if (example.Messages[i].Role != ChatRole.Assistant)
            {
                continue;
            }

            var prompt = Render(template, messages[..i], addGenerationPrompt: true);
            var full = Render(template, messages[..(i + 1)], addGenerationPrompt: false);
            if (!prompt.StartsWith(rendered, StringComparison.Ordinal) || !full.StartsWith(prompt, StringComparison.Ordinal))
            {
                throw new HanlinException(
                    ErrorCodes.ChatTemplateFailed,
                    $"The chat template of model '{_model.Name}' renders the conversation of line {example.LineNumber} differently as it grows, so its assistant turns cannot be located for the loss.");
            }

            Append(ids, labels, EncodeSpan(prompt[rendered.Length..]), learnt: false);
            promptIds = [.. ids];
            reference = example.Messages[i].Content;
            Append(ids, labels, EncodeSpan(full[prompt.Length..]), learnt: true);
            rendered = full;
        }

        var whole = Render(template, messages, addGenerationPrompt: false);
        if (whole.Length > rendered.Length && whole.StartsWith(rendered, StringComparison.Ordinal))
        {
            Append(ids, labels, EncodeSpan(whole[rendered.Length..]), learnt: false);
        }
    }

    private string Render(ChatTemplate template, List<ChatTemplateMessage> messages, bool addGenerationPrompt) =>
        template.Render(messages, addGenerationPrompt, _model.SpecialTokens);

    // The rendered template already holds BOS and the turn markers as text, so none are added and markers are parsed,
    // as transformers' apply_chat_template(tokenize=True) does.
    private int[] EncodeSpan(string text) => text.Length == 0 ? [] : _model.Tokenizer.Encode(text, addSpecialTokens: false, parseSpecialTokens: true);

    private static void Append(List<int> ids, List<long> labels, int[] tokens, bool learnt)
    {
        ids.AddRange(tokens);
        labels.AddRange(tokens.Select(t => learnt ? t : LanguageModelMetrics.IgnoreIndex));
    }
}
