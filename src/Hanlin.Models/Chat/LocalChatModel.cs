using Hanlin.Core.Errors;
using Hanlin.Models.Generation;
using Hanlin.Models.Gguf;
using Hanlin.Models.HuggingFace;
using Hanlin.Models.Llama;
using Hanlin.Models.Templates;
using Hanlin.Models.Tokenization;
using static TorchSharp.torch;

namespace Hanlin.Models.Chat;

/// <summary>
/// A decoder model ready to chat: weights, the tokenizer that belongs to them, the model's own chat template
/// (null for base models, whose prompt is the conversation text as is) and its generation defaults.
/// Owns the model; dispose it to free the weights.
/// </summary>
public sealed class LocalChatModel : IDisposable
{
    private readonly Lock _batcherLock = new();
    private ContinuousBatchingOptions _batching = new();
    private ContinuousBatcher? _batcher;
    private bool _disposed;

    /// <summary>Creates a chat model from parts; the instance takes ownership of <paramref name="model"/>.</summary>
    public LocalChatModel(
        string name,
        LlamaModel model,
        ITextTokenizer tokenizer,
        ChatTemplate? template = null,
        IReadOnlyDictionary<string, object?>? specialTokens = null,
        GenerationOptions? defaults = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (tokenizer.VocabularySize > model.Config.VocabSize)
        {
            throw new HanlinException(
                ErrorCodes.UnsupportedModel,
                $"The tokenizer has {tokenizer.VocabularySize} tokens but model '{model.Source}' only {model.Config.VocabSize}; they do not belong together.");
        }

        Name = name;
        Model = model;
        Tokenizer = tokenizer;
        Template = template;
        SpecialTokens = specialTokens ?? new Dictionary<string, object?>();
        Defaults = defaults ?? new GenerationOptions();
    }

    /// <summary>The name clients use to address the model.</summary>
    public string Name { get; }

    /// <summary>The weights.</summary>
    public LlamaModel Model { get; }

    /// <summary>The model's tokenizer.</summary>
    public ITextTokenizer Tokenizer { get; }

    /// <summary>The model's chat template, or null for a base model.</summary>
    public ChatTemplate? Template { get; }

    /// <summary>bos_token, eos_token … as the template expects them.</summary>
    public IReadOnlyDictionary<string, object?> SpecialTokens { get; }

    /// <summary>Generation defaults (the model's generation_config.json where it has one).</summary>
    public GenerationOptions Defaults { get; }

    /// <summary>
    /// Loads a chat model from <paramref name="path"/>: a Hugging Face model directory (config.json, safetensors,
    /// tokenizer.json, tokenizer_config.json with its chat template, generation_config.json) or a llama2.c
    /// checkpoint with its tokenizer at <paramref name="tokenizerPath"/> (default: tokenizer.bin beside it), or a GGUF
    /// file (weights, tokenizer and chat template from its metadata).
    /// </summary>
    /// <exception cref="HanlinException">Missing files, an unsupported architecture or format, a mismatched tokenizer.</exception>
    public static async Task<LocalChatModel> LoadAsync(
        string name,
        string path,
        string? tokenizerPath = null,
        ScalarType dtype = ScalarType.Float32,
        IProgress<float>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            var directory = HuggingFaceModelDirectory.Open(path);
            var tokenizer = TokenizerLoader.Load(tokenizerPath ?? path);
            var chat = File.Exists(System.IO.Path.Combine(path, "tokenizer_config.json"))
                ? await ChatTemplateConfig.LoadAsync(path, cancellationToken).ConfigureAwait(false)
                : null;
            var model = await directory.LoadDecoderAsync(dtype, progress, cancellationToken).ConfigureAwait(false);
            try
            {
                var defaults = directory.Generation.ToGenerationOptions();
                var stops = new HashSet<int>(defaults.StopTokenIds);
                stops.UnionWith(tokenizer.StopTokenIds);
                return new LocalChatModel(name, model, tokenizer, chat?.Template, chat?.SpecialTokens, defaults with { StopTokenIds = stops });
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }

        if (!File.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"Model '{path}' does not exist.");
        }

        if (GgufFile.HasMagic(path))
        {
            var tokenizer = TokenizerLoader.Load(tokenizerPath ?? path);
            ChatTemplate? template = null;
            var special = new Dictionary<string, object?>(StringComparer.Ordinal);
            using (var gguf = GgufFile.Open(path))
            {
                if (gguf.GetString("tokenizer.chat_template") is { Length: > 0 } source)
                {
                    template = ChatTemplate.Parse(source);
                }
            }

            if (tokenizer.BosTokenId is { } bos && tokenizer.IdToToken(bos) is { } bosText)
            {
                special["bos_token"] = bosText;
            }

            if (tokenizer.EosTokenId is { } eos && tokenizer.IdToToken(eos) is { } eosText)
            {
                special["eos_token"] = eosText;
            }

            var model = await LlamaModel.LoadGgufAsync(path, progress, cancellationToken).ConfigureAwait(false);
            try
            {
                model.ConvertTo(dtype);
                return new LocalChatModel(name, model, tokenizer, template, special, new GenerationOptions { StopTokenIds = tokenizer.StopTokenIds.ToHashSet() });
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }

        var tokenizerFile = tokenizerPath ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!, "tokenizer.bin");
        var llama = await LlamaModel.LoadLlama2cAsync(path, progress, cancellationToken).ConfigureAwait(false);
        try
        {
            llama.ConvertTo(dtype);
            var tokenizer = TokenizerLoader.Load(tokenizerFile);
            var defaults = new GenerationOptions { StopTokenIds = tokenizer.StopTokenIds.ToHashSet() };
            return new LocalChatModel(name, llama, tokenizer, defaults: defaults);
        }
        catch
        {
            llama.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The prompt token ids for a conversation: rendered with the chat template (whose text already holds the
    /// special tokens, so none are added, as transformers' apply_chat_template does), or for a base model the
    /// messages' text joined by newlines after BOS.
    /// </summary>
    public int[] EncodeConversation(IReadOnlyList<ChatTemplateMessage> messages, IReadOnlyList<IReadOnlyDictionary<string, object?>>? tools = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (Template is null)
        {
            var text = string.Join('\n', messages.Select(m => m.Content ?? string.Empty));
            return Tokenizer.Encode(text, addSpecialTokens: true, parseSpecialTokens: false);
        }

        var extra = new Dictionary<string, object?>(SpecialTokens, StringComparer.Ordinal);
        if (tools is { Count: > 0 })
        {
            extra["tools"] = tools;
        }

        var prompt = Template.Render(messages, addGenerationPrompt: true, extra);
        return Tokenizer.Encode(prompt, addSpecialTokens: false, parseSpecialTokens: true);
    }

    /// <summary>
    /// How concurrent requests share the model (<see cref="ContinuousBatchingOptions.MaxBatchSize"/> defaults to 8); set it
    /// before the first request, since <see cref="Batcher"/> is created with it then.
    /// </summary>
    /// <exception cref="InvalidOperationException">The batcher is already running.</exception>
    public ContinuousBatchingOptions Batching
    {
        get => _batching;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            lock (_batcherLock)
            {
                if (_batcher is not null)
                {
                    throw new InvalidOperationException($"Model '{Name}' is already serving requests; set its batching options before the first one.");
                }

                _batching = value;
            }
        }
    }

    /// <summary>
    /// The model's one scheduler: every request that generates with this model goes through it, so concurrent requests
    /// share decode steps. Created on first use, disposed with the model.
    /// </summary>
    public ContinuousBatcher Batcher
    {
        get
        {
            lock (_batcherLock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _batcher ??= new ContinuousBatcher(Model, _batching);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_batcherLock)
        {
            _disposed = true;
            _batcher?.Dispose(); // stops the loop before the weights it reads go
        }

        Model.Dispose();
    }
}
