using Hanlin.Core.Errors;
using Hanlin.Models.HuggingFace;
using Microsoft.Extensions.AI;
using static TorchSharp.torch;

namespace Hanlin.Models.Bert;

/// <summary>
/// Text embeddings from a BERT encoder as a Microsoft.Extensions.AI <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>:
/// texts are tokenized, encoded in padded batches, pooled (mean over real tokens, or <c>[CLS]</c>) and optionally
/// L2-normalised. Usage counts every token fed to the model, special tokens included. Calls are serialised: the
/// model runs one forward at a time. An input longer than the model's positions is an error, never truncated.
/// </summary>
public sealed class BertEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly BertModel _model;
    private readonly IBertTokenizer _tokenizer;
    private readonly bool _ownsModel;
    private readonly EmbeddingPooling _pooling;
    private readonly BertEmbeddingOptions _options;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Wraps <paramref name="model"/>, which the caller keeps owning, and <paramref name="tokenizer"/>.</summary>
    public BertEmbeddingGenerator(BertModel model, IBertTokenizer tokenizer, BertEmbeddingOptions? options = null)
        : this(model, tokenizer, options ?? new BertEmbeddingOptions(), ownsModel: false)
    {
    }

    private BertEmbeddingGenerator(BertModel model, IBertTokenizer tokenizer, BertEmbeddingOptions options, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBatchSize);
        _model = model;
        _tokenizer = tokenizer;
        _options = options;
        _ownsModel = ownsModel;
        _pooling = options.Pooling ?? EmbeddingPooling.Mean;
        var modelId = options.ModelId ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(model.Source));
        _metadata = new EmbeddingGeneratorMetadata("hanlin", null, modelId, model.Config.HiddenSize);
    }

    /// <summary>How token states are pooled.</summary>
    public EmbeddingPooling Pooling => _pooling;

    /// <summary>Length of every embedding.</summary>
    public int Dimensions => _model.Config.HiddenSize;

    /// <summary>
    /// Loads a BERT model directory (weights, <c>vocab.txt</c>, and the pooling of sentence-transformers' <c>1_Pooling/config.json</c>
    /// unless <paramref name="options"/> names one) into a generator that owns the model.
    /// </summary>
    /// <exception cref="HanlinException">Missing or inconsistent files, or not a BERT model.</exception>
    public static async Task<BertEmbeddingGenerator> LoadAsync(
        string directory,
        BertEmbeddingOptions? options = null,
        ScalarType dtype = ScalarType.Float32,
        IProgress<float>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new BertEmbeddingOptions();
        var tokenizer = WordPieceBertTokenizer.FromDirectory(directory);
        options = options with { Pooling = options.Pooling ?? ReadPooling(directory) };
        var model = await BertModel.LoadHuggingFaceAsync(directory, dtype, progress, cancellationToken).ConfigureAwait(false);
        return new BertEmbeddingGenerator(model, tokenizer, options, ownsModel: true);
    }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } dimensions && dimensions != Dimensions)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"Model '{_metadata.DefaultModelId}' produces {Dimensions}-dimensional embeddings, not {dimensions}.");
        }

        var encoded = values.Select(EncodeChecked).ToList();
        var vectors = new List<float[]>(encoded.Count);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var start = 0; start < encoded.Count; start += _options.MaxBatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = encoded.GetRange(start, Math.Min(_options.MaxBatchSize, encoded.Count - start));
                vectors.AddRange(await Task.Run(() => Embed(batch), cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            _gate.Release();
        }

        var created = DateTimeOffset.UtcNow;
        var tokens = encoded.Sum(e => (long)e.Count);
        return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = _metadata.DefaultModelId, CreatedAt = created }))
        {
            Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens },
        };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_model) ? _model
            : null;
    }

    public void Dispose()
    {
        _gate.Dispose();
        if (_ownsModel)
        {
            _model.Dispose();
        }
    }

    private static EmbeddingPooling ReadPooling(string directory)
    {
        var pooling = ConfigJson.LoadIfExists(Path.Combine(directory, "1_Pooling", "config.json"));
        return pooling?.Bool("pooling_mode_cls_token") == true ? EmbeddingPooling.Cls : EmbeddingPooling.Mean;
    }

    private IReadOnlyList<int> EncodeChecked(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = _tokenizer.Encode(text);
        if (ids.Count > _model.Config.MaxPositions)
        {
            throw new HanlinException(
                ErrorCodes.ContextLengthExceeded,
                $"A text of {ids.Count} tokens exceeds the {_model.Config.MaxPositions} positions of model '{_metadata.DefaultModelId}'; it is not truncated.");
        }

        return ids;
    }

    private List<float[]> Embed(List<IReadOnlyList<int>> batch)
    {
        using var scope = NewDisposeScope();
        var length = batch.Max(ids => ids.Count);
        var tokens = new long[batch.Count * length];
        var mask = new long[tokens.Length];
        Array.Fill(tokens, _model.Config.PadTokenId);
        for (var row = 0; row < batch.Count; row++)
        {
            for (var i = 0; i < batch[row].Count; i++)
            {
                tokens[(row * length) + i] = batch[row][i];
                mask[(row * length) + i] = 1;
            }
        }

        var maskTensor = tensor(mask, batch.Count, length);                              // [batch, seq]
        var states = _model.Forward(tensor(tokens, batch.Count, length), maskTensor);    // [batch, seq, hidden]
        Tensor pooled;
        if (_pooling == EmbeddingPooling.Cls)
        {
            pooled = states.select(1, 0);                                                // [batch, hidden]
        }
        else
        {
            var weights = maskTensor.unsqueeze(-1).to(ScalarType.Float32);               // [batch, seq, 1]
            pooled = (states * weights).sum(1) / weights.sum(1);
        }

        if (_options.Normalize)
        {
            // As torch.nn.functional.normalize: divide by max(norm, 1e-12) so a zero vector stays zero.
            pooled = pooled / pooled.norm(1, keepdim: true).clamp_min(1e-12);
        }

        var flat = pooled.contiguous().data<float>().ToArray();
        var result = new List<float[]>(batch.Count);
        for (var row = 0; row < batch.Count; row++)
        {
            result.Add(flat.AsSpan(row * Dimensions, Dimensions).ToArray());
        }

        return result;
    }
}
