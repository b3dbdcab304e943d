using System.Text;
using Hanlin.Core.Errors;

namespace Hanlin.Models.Templates;

/// <summary>
/// A model's Jinja2 chat template (the <c>chat_template</c> of its tokenizer_config.json or GGUF metadata),
/// rendered byte-identically to Hugging Face <c>apply_chat_template(tokenize=False)</c>.
/// </summary>
/// <remarks>
/// Hand-written because no Jinja2 engine exists for .NET in the package feed: the template engines there
/// (Fluid, Scriban, Handlebars.Net) implement Liquid or other languages whose whitespace control, filters,
/// <c>loop</c> object, scoping and <c>namespace()</c> differ from Jinja's, and a prompt that differs by one
/// space changes the model's tokens. The engine is a small lexer/parser/evaluator of the subset real chat
/// templates use, configured as transformers configures Jinja: <c>trim_blocks</c>, <c>lstrip_blocks</c>,
/// loop controls, an immutable sandbox (no <c>list.append</c>), Jinja's default undefined semantics,
/// <c>tojson</c> as Python <c>json.dumps(ensure_ascii=False)</c>, and the globals <c>raise_exception</c>
/// and <c>strftime_now</c>.
/// </remarks>
public sealed class ChatTemplate
{
    private readonly Func<TemplateFrame, TemplateFlow> _body;
    private readonly TimeProvider _timeProvider;

    private ChatTemplate(string source, Func<TemplateFrame, TemplateFlow> body, TimeProvider timeProvider)
    {
        Source = source;
        _body = body;
        _timeProvider = timeProvider;
    }

    /// <summary>The template's Jinja source.</summary>
    public string Source { get; }

    /// <summary>Parses a template; syntax errors throw <see cref="HanlinException"/> with <see cref="ErrorCodes.ChatTemplateInvalid"/>.</summary>
    /// <param name="source">The Jinja source, e.g. tokenizer_config.json's <c>chat_template</c>.</param>
    /// <param name="timeProvider">Clock for <c>strftime_now</c>; the system clock when null.</param>
    public static ChatTemplate Parse(string source, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ChatTemplate(source, TemplateParser.Parse(source), timeProvider ?? TimeProvider.System);
    }

    /// <summary>
    /// Renders a conversation as transformers does: the template sees <c>messages</c>, <c>tools</c> and
    /// <c>documents</c> (None unless given in <paramref name="extra"/>), <c>add_generation_prompt</c>, and every
    /// entry of <paramref name="extra"/> (<c>bos_token</c>, <c>eos_token</c>, <c>tools</c>, <c>date_string</c>, ...).
    /// </summary>
    /// <exception cref="HanlinException">
    /// <see cref="ErrorCodes.ChatTemplateRejected"/> when the template's <c>raise_exception</c> refuses the
    /// conversation (for example roles that do not alternate), <see cref="ErrorCodes.ChatTemplateFailed"/> when
    /// evaluation fails (an attribute of an undefined value, a type error).
    /// </exception>
    public string Render(IReadOnlyList<ChatTemplateMessage> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = messages.Select(message => (object?)message.ToTemplateValue()).ToList(),
            ["tools"] = null,
            ["documents"] = null,
            ["add_generation_prompt"] = addGenerationPrompt,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, object?>())
        {
            variables[name] = value;
        }

        return Render(variables);
    }

    /// <summary>
    /// Renders with exactly the given variables (values may be strings, numbers, booleans, lists, dictionaries
    /// or <see cref="System.Text.Json.JsonElement"/>s, e.g. messages with fields beyond role and content).
    /// </summary>
    public string Render(IReadOnlyDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var scope = new TemplateScope(TemplateGlobals.Create(_timeProvider));
        foreach (var (name, value) in variables)
        {
            scope.Set(name, TemplateValues.FromClr(value));
        }

        var frame = new TemplateFrame(scope, new StringBuilder());
        try
        {
            _body(frame);
        }
        catch (Exception exception) when (exception is not HanlinException)
        {
            throw new HanlinException(ErrorCodes.ChatTemplateFailed, $"The chat template failed while rendering: {exception.Message}", exception);
        }

        return frame.Output.ToString();
    }
}
