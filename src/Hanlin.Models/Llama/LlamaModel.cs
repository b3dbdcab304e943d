using Hanlin.Core.Errors;
using Hanlin.Models.HuggingFace;
using Hanlin.Models.Llama2c;
using Hanlin.Models.Lora;
using Hanlin.Models.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Hanlin.Models.Llama;

/// <summary>
/// A Llama-architecture decoder (RMSNorm, RoPE, grouped-query attention, SwiGLU, optionally tied classifier)
/// running on TorchSharp. Owns its weights; not thread-safe (one forward at a time).
/// </summary>
public sealed class LlamaModel : IDisposable
{
    private LlamaWeights _weights;
    private readonly RotaryEmbedding _rope;
    private LoraAdapter? _adapter;

    // Prompt positions per forward pass: bounds activation memory while keeping the matrix products large. bf16 takes
    // half the positions of fp32: its weights are half the size, so the same activations weigh twice as much against
    // them, and a 0.4B model's 512-token prompt in 256-position passes peaked at 1.33-1.37x its weights (128: 1.28x,
    // with prompt speed unchanged within the noise of a shared machine); fp32 stays at 256 (1.16-1.2x).
    internal const int PrefillChunk = 256;
    private const int Bf16PrefillChunk = 128;

    private SingleTokenDecoder? _decoder;
    private bool _decoderChecked;
    private bool _disposed;

    /// <summary>
    /// Routes every fp32 inference projection through <see cref="MatMul"/>, not only those large enough to gain from it,
    /// so tests can check the kernel inside whole forwards of tiny fixture models.
    /// </summary>
    internal bool MatMulAtAnySize { get; set; }

    internal LlamaModel(LlamaConfig config, LlamaWeights weights, string source)
    {
        Config = config;
        Source = source;
        _weights = weights;
        _rope = new RotaryEmbedding(config);
        TorchRuntime.TrimNativeHeap(); // loaders' and builders' temporaries must not stay resident with the model
    }

    /// <summary>The model's shape.</summary>
    public LlamaConfig Config { get; }

    /// <summary>Where the weights came from (a file path, or a description for built models).</summary>
    public string Source { get; }

    /// <summary>The tensors, for loaders' and tests' inspection; owned by this model.</summary>
    internal LlamaWeights Weights => _weights;

    /// <summary>RoPE tables, shared with the training forward.</summary>
    internal RotaryEmbedding Rope => _rope;

    /// <summary>The LoRA adapter applied on the fly by every forward, or null; not owned by the model.</summary>
    public LoraAdapter? Adapter => _adapter;

    /// <summary>Number of parameters (a tied classifier counted once).</summary>
    public long ParameterCount => _weights.ParameterCount;

    /// <summary>Loads a llama2.c checkpoint (legacy version 0, or export versions 1 fp32 and 2 Q8_0, dequantised to fp32).</summary>
    /// <exception cref="HanlinException">The file is missing, truncated or not a llama2.c checkpoint.</exception>
    public static LlamaModel LoadLlama2c(string checkpointPath)
    {
        TorchRuntime.EnsureLoaded();
        return Llama2cCheckpoint.Load(checkpointPath);
    }

    /// <summary>
    /// Loads a GGUF model of architecture <c>llama</c> or <c>qwen2</c> (tensors in F32, F16, BF16, Q8_0, Q4_0, Q4_1,
    /// Q5_0, Q5_1, Q4_K or Q6_K, dequantised once to fp32 on load), off the caller's thread.
    /// </summary>
    /// <exception cref="HanlinException">A missing or corrupt file, missing tensors or metadata, or an unsupported architecture.</exception>
    public static Task<LlamaModel> LoadGgufAsync(string path, IProgress<float>? progress = null, CancellationToken cancellationToken = default)
    {
        TorchRuntime.EnsureLoaded();
        return Task.Run(() => Gguf.GgufLlamaLoader.Load(path, progress, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Loads a llama2.c checkpoint off the caller's thread, reporting progress in [0, 1] and honouring
    /// cancellation between tensors (nothing is left allocated when cancelled).
    /// </summary>
    /// <exception cref="HanlinException">The file is missing, truncated or not a llama2.c checkpoint.</exception>
    public static Task<LlamaModel> LoadLlama2cAsync(string checkpointPath, IProgress<float>? progress = null, CancellationToken cancellationToken = default)
    {
        TorchRuntime.EnsureLoaded();
        return Task.Run(() => Llama2cCheckpoint.Load(checkpointPath, progress, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Loads a Hugging Face <c>LlamaForCausalLM</c>, <c>Qwen2ForCausalLM</c> or <c>MistralForCausalLM</c> directory in
    /// <paramref name="dtype"/> (Float32 or BFloat16) off the caller's thread; see <see cref="HuggingFaceModelDirectory"/>
    /// for its generation defaults.
    /// </summary>
    /// <exception cref="HanlinException">Missing or inconsistent files, or an architecture Hanlin does not run.</exception>
    public static Task<LlamaModel> LoadHuggingFaceAsync(
        string directory, ScalarType dtype = ScalarType.Float32, IProgress<float>? progress = null, CancellationToken cancellationToken = default) =>
        HuggingFaceModelDirectory.Open(directory).LoadDecoderAsync(dtype, progress, cancellationToken);

    /// <summary>Builds a model with random weights of the given shape (benchmarks, tests); deterministic for a seed.</summary>
    public static LlamaModel CreateRandom(LlamaConfig config, long seed = 0, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(config);
        TorchRuntime.EnsureLoaded();
        config.Validate("random");
        using var generator = new Generator((ulong)seed);

        // Each tensor is converted as soon as it exists, so a bf16 model never holds an fp32 copy of itself.
        Tensor Random(params long[] shape)
        {
            var values = randn(shape, generator: generator).mul_(0.02f); // in place: no second copy
            if (dtype == ScalarType.Float32)
            {
                return values.DetachFromDisposeScope();
            }

            using (values)
            {
                return values.to(dtype).DetachFromDisposeScope();
            }
        }

        Tensor Ones(long size) => ones(size, dtype: dtype).DetachFromDisposeScope();
        var layers = new List<LlamaLayerWeights>();
        for (var i = 0; i < config.Layers; i++)
        {
            layers.Add(new LlamaLayerWeights(
                Ones(config.Dim), Random(config.Dim, config.Dim), Random(config.KvDim, config.Dim), Random(config.KvDim, config.Dim),
                Random(config.Dim, config.Dim), Ones(config.Dim), Random(config.HiddenDim, config.Dim), Random(config.Dim, config.HiddenDim),
                Random(config.HiddenDim, config.Dim)));
        }

        var embedding = Random(config.VocabSize, config.Dim);
        var classifier = config.TiedClassifier ? null : Random(config.VocabSize, config.Dim);
        return new LlamaModel(config, new LlamaWeights(embedding, layers, Ones(config.Dim), classifier), "random");
    }

    /// <summary>Element type of the weights, activations and KV cache: fp32 (default) or bf16.</summary>
    public ScalarType DType => _weights.TokenEmbedding.dtype;

    /// <summary>
    /// Converts the weights to <paramref name="dtype"/> in place (fp32 or bf16; fp16 is 5-8x slower on CPU and
    /// not offered). RMSNorm and softmax still accumulate in fp32. Caches created earlier must be recreated.
    /// </summary>
    public void ConvertTo(ScalarType dtype)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"Model precision {dtype} is not supported; use Float32 or BFloat16.");
        }

        if (dtype == DType)
        {
            return;
        }

        var converted = _weights.ConvertTo(dtype);
        _weights.Dispose();
        _weights = converted;
        (_decoder, _decoderChecked) = (null, false);
        TorchRuntime.TrimNativeHeap();
    }

    /// <summary>Allocates a KV cache for <paramref name="batchSize"/> sequences of up to <paramref name="maxSequenceLength"/> (default: the context length) positions.</summary>
    public KvCache CreateCache(int batchSize = 1, int? maxSequenceLength = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new KvCache(Config, batchSize, maxSequenceLength ?? Config.MaxSequenceLength, _weights.TokenEmbedding.dtype);
    }

    /// <summary>
    /// Runs <paramref name="tokens"/> <c>[batch, seq]</c> (int64) at positions start..start+seq-1, appending their keys
    /// and values to <paramref name="cache"/>, and returns logits <c>[batch, seq, vocab]</c> (or <c>[batch, 1, vocab]</c>
    /// for the last position only when <paramref name="lastPositionOnly"/>), always fp32. The caller owns the result.
    /// </summary>
    public Tensor Forward(Tensor tokens, int start, KvCache cache, bool lastPositionOnly = false) =>
        Forward(tokens, start, cache, null, lastPositionOnly);

    /// <summary>
    /// <see cref="Forward(Tensor, int, KvCache, bool)"/> for a batch of left-padded sequences: row <c>b</c> starts with
    /// <paramref name="leftPadding"/>[b] padding slots that no position attends to, and its real tokens take RoPE
    /// positions from 0, so every row computes what it would alone. Padding slots attend only to themselves (their
    /// outputs are meaningless but finite, and never read).
    /// </summary>
    public Tensor Forward(Tensor tokens, int start, KvCache cache, IReadOnlyList<int>? leftPadding, bool lastPositionOnly = false)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(cache);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (tokens.dim() != 2 || tokens.shape[0] != cache.BatchSize)
        {
            throw new ArgumentException($"Expected tokens [batch={cache.BatchSize}, seq], got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        }

        var batch = tokens.shape[0];
        var seq = tokens.shape[1];
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        if (start + seq > cache.MaxSequenceLength)
        {
            throw new HanlinException(
                ErrorCodes.ContextLengthExceeded,
                $"Positions {start}..{start + seq - 1} exceed the context of {cache.MaxSequenceLength} tokens of model '{Source}'.");
        }

        var c = Config;
        var total = start + (int)seq;
        if (leftPadding is not null && leftPadding.Count != batch)
        {
            throw new ArgumentException($"Expected {batch} padding counts, got {leftPadding.Count}.", nameof(leftPadding));
        }

        if (seq > ChunkFor(DType))
        {
            return ForwardInChunks(tokens, start, cache, leftPadding, lastPositionOnly);
        }

        if (batch == 1 && seq == 1 && (leftPadding is null || leftPadding[0] == 0) && SingleTokenPath(cache) is { } decoder)
        {
            return decoder.Step(tokens.reshape(-1).item<long>(), start, cache); // [1, 1, vocab]
        }

        using var scope = NewDisposeScope();
        var x = _weights.TokenEmbedding.index_select(0, tokens.reshape(-1)).reshape(batch, seq, c.Dim); // [batch, seq, dim]

        // Causal mask over absolute positions: query start+i may see keys 0..start+i. [seq, total]
        var mask = seq == 1 ? null : ones(seq, total, dtype: ScalarType.Bool).triu(start + 1);
        Tensor? positions = null;
        if (leftPadding is not null && leftPadding.Any(p => p > 0))
        {
            (mask, positions) = PaddedMaskAndPositions(leftPadding, start, (int)seq, total); // [batch, 1, seq, total], [batch, seq]
        }

        var causalFromStart = start == 0 && seq > 1 && positions is null;
        var visible = mask?.logical_not(); // scaled_dot_product_attention's boolean mask marks the keys a query sees
        x = Layers(
            x,
            t => positions is null ? _rope.Apply(t, start) : _rope.Apply(t, positions),
            (layer, k, v) =>
            {
                cache.Write(layer, start, k, v);
                return cache.Read(layer, total); // [batch, kvHeads, total, headDim]
            },
            visible,
            causalFromStart);
        if (lastPositionOnly)
        {
            x = x.narrow(1, seq - 1, 1); // [batch, 1, dim]
        }

        return Logits(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One decoding step for several independent sequences held in sequences (slots) of one <paramref name="cache"/>: row
    /// <c>i</c> feeds <paramref name="tokens"/>[i] at position <paramref name="positions"/>[i] of slot <paramref name="slots"/>[i],
    /// stores its key and value there and attends to that slot's positions 0..positions[i] only, so every row computes what
    /// it would alone whatever the other rows' lengths, while the weights are read once for all rows. Without an adapter on
    /// an AVX-512 CPU the C# decoder runs all rows, each bit-identical to its single-sequence step; otherwise TorchSharp
    /// runs them as one batch with per-row positions and masks. Returns fp32 logits <c>[rows, 1, vocab]</c>; the caller owns them.
    /// </summary>
    /// <exception cref="HanlinException"><c>context_length_exceeded</c> when a position is outside the cache.</exception>
    public Tensor ForwardDecode(IReadOnlyList<int> tokens, IReadOnlyList<int> slots, IReadOnlyList<int> positions, KvCache cache)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(cache);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var rows = tokens.Count;
        ArgumentOutOfRangeException.ThrowIfZero(rows);
        if (slots.Count != rows || positions.Count != rows)
        {
            throw new ArgumentException($"Expected {rows} slots and positions, got {slots.Count} and {positions.Count}.", nameof(slots));
        }

        if (slots.Any(s => (uint)s >= (uint)cache.BatchSize) || slots.Distinct().Count() != rows)
        {
            throw new ArgumentException($"Slots must be distinct and below the cache's {cache.BatchSize}: [{string.Join(", ", slots)}].", nameof(slots));
        }

        foreach (var position in positions)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(position);
            if (position >= cache.MaxSequenceLength)
            {
                throw new HanlinException(
                    ErrorCodes.ContextLengthExceeded,
                    $"Position {position} exceeds the context of {cache.MaxSequenceLength} tokens of model '{Source}'.");
            }
        }

        KvCache[] views = cache.BatchSize == 1 ? [cache] : [.. slots.Select(cache.Slot)];
        if (SingleTokenPath(views[0]) is { } decoder)
        {
            return decoder.Step([.. tokens.Select(t => (long)t)], [.. positions], views); // [rows, 1, vocab]
        }

        if (rows == 1)
        {
            using var single = tensor(new long[] { tokens[0] }, 1, 1);
            return Forward(single, positions[0], views[0], lastPositionOnly: true);
        }

        using var scope = NewDisposeScope();
        var c = Config;
        var total = positions.Max() + 1;
        var slotIndex = tensor(slots.Select(s => (long)s).ToArray());               // [rows]
        var positionIndex = tensor(positions.Select(p => (long)p).ToArray());       // [rows]
        int? firstSlot = Enumerable.Range(0, rows).All(i => slots[i] == slots[0] + i) ? slots[0] : null;
        var x = _weights.TokenEmbedding.index_select(0, tensor(tokens.Select(t => (long)t).ToArray())).reshape(rows, 1, c.Dim); // [rows, 1, dim]

        // Row i sees its own slot's keys 0..positions[i]; later slots hold stale keys of earlier sequences or zeros. [rows, 1, 1, total]
        var visible = arange(total, ScalarType.Int64).unsqueeze(0).le(positionIndex.unsqueeze(1)).reshape(rows, 1, 1, total);
        var ropePositions = positionIndex.reshape(rows, 1);
        x = Layers(
            x,
            t => _rope.Apply(t, ropePositions),
            (layer, k, v) =>
            {
                cache.WriteRows(layer, slotIndex, positionIndex, k, v);
                return cache.ReadRows(layer, slotIndex, firstSlot, total); // [rows, kvHeads, total, headDim]
            },
            visible,
            causalFromStart: false);
        return Logits(x).MoveToOuterDisposeScope();
    }

    // The decoder stack over x [batch, seq, dim]: rotate applies RoPE to queries and keys [batch, heads, seq, headDim];
    // storeAndRead stores a layer's new keys/values and returns every key/value the queries attend over; visible
    // (broadcast to [batch, heads, seq, keys]) marks the keys each query sees, unless causalFromStart says queries and
    // keys start together. Returns x [batch, seq, dim] in the caller's dispose scope.
    private Tensor Layers(
        Tensor x,
        Func<Tensor, Tensor> rotate,
        Func<int, Tensor, Tensor, (Tensor Keys, Tensor Values)> storeAndRead,
        Tensor? visible,
        bool causalFromStart)
    {
        var c = Config;
        var (batch, seq) = (x.shape[0], x.shape[1]);
        for (var layer = 0; layer < c.Layers; layer++)
        {
            // Each layer's intermediates (scores, FFN activations: ~80 MB per layer for a 512-token prompt of a
            // 0.5B model) are freed when the layer ends rather than when the forward ends; only x moves on.
            using var layerScope = NewDisposeScope();
            var layerInput = x;
            var w = _weights.Layers[layer];
            var h = RmsNorm(x, w.AttentionNorm);
            var q = Project(h, layer, LoraTargetModule.QProj, w.Wq, w.Bq).view(batch, seq, c.Heads, c.HeadDim).transpose(1, 2);   // [batch, heads, seq, headDim]
            var k = Project(h, layer, LoraTargetModule.KProj, w.Wk, w.Bk).view(batch, seq, c.KvHeads, c.HeadDim).transpose(1, 2); // [batch, kvHeads, seq, headDim]
            var v = Project(h, layer, LoraTargetModule.VProj, w.Wv, w.Bv).view(batch, seq, c.KvHeads, c.HeadDim).transpose(1, 2);
            q = rotate(q);
            k = rotate(k);
            var (keys, values) = storeAndRead(layer, k, v); // [batch, kvHeads, total, headDim]
            var total = keys.shape[2];

            // libtorch's fused attention never materialises the [heads, seq, total] scores (4 passes over ~30 MB per
            // layer at 512 tokens). Its own causal mask is aligned to the top-left, which is the causal one only when
            // queries and keys start together; otherwise the explicit mask says which keys each query sees.
            // Key/value heads are repeated for their query groups (head h reads h / group): [batch, heads, total, headDim].
            var group = c.Heads / c.KvHeads;
            var repeatedKeys = group == 1 ? keys : keys.unsqueeze(2).expand(batch, c.KvHeads, group, total, c.HeadDim).reshape(batch, c.Heads, total, c.HeadDim);
            var repeatedValues = group == 1 ? values : values.unsqueeze(2).expand(batch, c.KvHeads, group, total, c.HeadDim).reshape(batch, c.Heads, total, c.HeadDim);
            var attention = (causalFromStart
                    ? F.scaled_dot_product_attention(q, repeatedKeys, repeatedValues, is_casual: true)
                    : F.scaled_dot_product_attention(q, repeatedKeys, repeatedValues, visible))            // [batch, heads, seq, headDim]
                .transpose(1, 2).reshape(batch, seq, c.Heads * c.HeadDim);                               // [batch, seq, dim]
            x = x + Project(attention, layer, LoraTargetModule.OProj, w.Wo);

            h = RmsNorm(x, w.FfnNorm);
            var gate = Project(h, layer, LoraTargetModule.GateProj, w.W1);                                      // [batch, seq, hidden]
            var up = Project(h, layer, LoraTargetModule.UpProj, w.W3);
            var gated = F.silu(gate, inplace: true).mul_(up);               // in place: two fewer [seq, hidden] buffers
            x = (x + Project(gated, layer, LoraTargetModule.DownProj, w.W2)).MoveToOuterDisposeScope();
            layerInput.Dispose(); // otherwise every layer's residual stream lives until the forward ends
        }

        return x;
    }

    // Final norm and classifier: fp32 logits [batch, seq, vocab] in the caller's dispose scope.
    private Tensor Logits(Tensor x)
    {
        var logits = Linear(RmsNorm(x, _weights.FinalNorm), _weights.Classifier);
        return logits.dtype == ScalarType.Float32 ? logits : logits.to(ScalarType.Float32);
    }

    /// <summary>
    /// Applies <paramref name="adapter"/> on the fly in every later forward (replacing any adapter attached before), or
    /// detaches the current one when null. The model does not own the adapter: keep it alive while attached and dispose it yourself.
    /// </summary>
    /// <exception cref="HanlinException"><c>invalid_argument</c> when the adapter's layers or shapes do not fit this model.</exception>
    public void AttachAdapter(LoraAdapter? adapter)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        adapter?.CheckFits(Config, Source);
        _adapter = adapter;
    }

    /// <summary>
    /// Folds the attached adapter into the base weights (W += scaling·B·A, computed in fp32 and rounded once to the
    /// model's type) and detaches it; the adapter itself is left intact. Afterwards the model computes what it did with
    /// the adapter attached, without the per-token cost.
    /// </summary>
    /// <exception cref="HanlinException"><c>invalid_argument</c> when no adapter is attached.</exception>
    public void MergeAdapter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var adapter = _adapter ?? throw new HanlinException(ErrorCodes.InvalidArgument, $"Model '{Source}' has no LoRA adapter attached to merge.");
        using var noGrad = no_grad();
        foreach (var (layer, module) in adapter.Targets)
        {
            using var scope = NewDisposeScope();
            var w = _weights.Layers[layer];
            var weight = module switch
            {
                LoraTargetModule.QProj => w.Wq,
                LoraTargetModule.KProj => w.Wk,
                LoraTargetModule.VProj => w.Wv,
                LoraTargetModule.OProj => w.Wo,
                LoraTargetModule.GateProj => w.W1,
                LoraTargetModule.UpProj => w.W3,
                _ => w.W2,
            };
            var delta = adapter.Delta(layer, module); // [out, in] fp32
            if (weight.dtype == ScalarType.Float32)
            {
                weight.add_(delta);
            }
            else
            {
                weight.copy_(weight.to(ScalarType.Float32).add_(delta));
            }
        }

        _adapter = null;
    }

    /// <summary>
    /// Runs <paramref name="tokens"/> <c>[batch, seq]</c> (int64) at positions 0..seq-1 without a KV cache and returns fp32
    /// logits <c>[batch, seq, vocab]</c> that carry the autograd graph back to the attached adapter's tensors (the base
    /// weights take no gradient and are never copied). <paramref name="attentionMask"/> <c>[batch, seq]</c> (1 = token,
    /// 0 = padding; pad on the right) hides padding keys, as transformers does. When <paramref name="training"/>, LoRA
    /// dropout applies to each adapter's input. Without an adapter this is a plain full-sequence forward. For evaluation,
    /// call it inside <c>torch.no_grad()</c> so no graph is recorded. The caller owns the result.
    /// </summary>
    public Tensor ForwardTraining(Tensor tokens, Tensor? attentionMask = null, bool training = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return LlamaTrainingForward.Run(this, _adapter, tokens, attentionMask, training);
    }

    /// <summary>
    /// transformers' causal-LM loss: logits at position t predict <paramref name="labels"/>[t+1]; positions labelled -100
    /// (prompt, padding) are ignored, and the cross-entropy is averaged over the counted tokens of the whole batch.
    /// <paramref name="logits"/> <c>[batch, seq, vocab]</c>, <paramref name="labels"/> <c>[batch, seq]</c> int64; returns a
    /// scalar fp32 tensor (NaN when no token is counted, as in transformers). The caller owns the result.
    /// </summary>
    public static Tensor CausalLmLoss(Tensor logits, Tensor labels) => LlamaTrainingForward.CausalLmLoss(logits, labels);

    /// <summary>
    /// Saves the model as a Hugging Face directory (<c>config.json</c>, <c>model.safetensors</c> in the model's element
    /// type) that <see cref="LoadHuggingFaceAsync"/> and transformers load. When the model was loaded from a Hugging Face
    /// directory its <c>config.json</c> is kept (with the new dtype) and its tokenizer, chat-template and generation files
    /// are copied. Merge an attached adapter first (<see cref="MergeAdapter"/>).
    /// </summary>
    /// <exception cref="HanlinException"><c>invalid_argument</c> when an adapter is attached or the directory is not empty; <c>unreadable_file</c> when writing fails.</exception>
    public Task SaveHuggingFaceAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_adapter is not null)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"Model '{Source}' has a LoRA adapter attached; merge it (MergeAdapter) or detach it before saving the model.");
        }

        return Task.Run(() => HuggingFaceCheckpointWriter.Save(Config, _weights, Source, directory, cancellationToken), cancellationToken);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _rope.Dispose();
        _weights.Dispose();
    }

    private static int ChunkFor(ScalarType dtype) => dtype == ScalarType.BFloat16 ? Bf16PrefillChunk : PrefillChunk;

    // Runs a long prompt ChunkFor(DType) positions at a time (each chunk attends to the cache the previous ones wrote),
    // so activations stay those of one chunk's tokens whatever the prompt length; the weights are streamed once
    // per chunk, which costs a 0.4B model a few percent of prompt speed at 512 tokens.
    private Tensor ForwardInChunks(Tensor tokens, int start, KvCache cache, IReadOnlyList<int>? leftPadding, bool lastPositionOnly)
    {
        using var scope = NewDisposeScope();
        var seq = (int)tokens.shape[1];
        var parts = new List<Tensor>();
        var chunk = ChunkFor(DType);
        for (var offset = 0; offset < seq; offset += chunk)
        {
            var length = Math.Min(chunk, seq - offset);
            var last = offset + length == seq;
            var logits = Forward(tokens.narrow(1, offset, length), start + offset, cache, leftPadding, lastPositionOnly); // [batch, length|1, vocab]
            if (lastPositionOnly && !last)
            {
                logits.Dispose();
            }
            else
            {
                parts.Add(logits);
            }

            // The next chunk's activations then reuse returned pages instead of growing the heap past them.
            TorchRuntime.TrimNativeHeap();
        }

        return (parts.Count == 1 ? parts[0] : cat(parts, 1)).MoveToOuterDisposeScope();
    }

    private SingleTokenDecoder? SingleTokenPath(KvCache cache)
    {
        if (!_decoderChecked)
        {
            _decoder = SingleTokenDecoder.TryCreate(Config, _weights, _rope);
            _decoderChecked = true;
        }

        // The C# decode path computes the base projections only; with an adapter attached, decoding goes through
        // Project like every other forward so the adapter's deltas apply.
        return _adapter is null && _decoder is not null && _decoder.Accepts(cache) ? _decoder : null;
    }

    internal Tensor RmsNorm(Tensor x, Tensor weight)
    {
        // x / sqrt(mean(x²) + eps) · weight over the last dimension, accumulated in fp32 for bf16 inputs. [.., dim]
        var dtype = x.dtype;
        var wide = dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);
        var normed = wide * (wide.pow(2).mean([-1], keepdim: true) + Config.NormEpsilon).rsqrt();
        return (dtype == ScalarType.Float32 ? normed : normed.to(dtype)) * weight;
    }
    // Row b's real tokens begin at slot leftPadding[b]: slot j holds RoPE position j - leftPadding[b]. Query slot i may
    // see key slots leftPadding[b]..i (causal, padding excluded); a padding query sees only itself, so its softmax
    // stays finite. Returns the mask (true = hidden) and the positions.
    private static (Tensor Mask, Tensor Positions) PaddedMaskAndPositions(IReadOnlyList<int> leftPadding, int start, int seq, int total)
    {
        var batch = leftPadding.Count;
        var hidden = new bool[batch * seq * total];
        var positions = new long[batch * seq];
        for (var b = 0; b < batch; b++)
        {
            var pad = leftPadding[b];
            for (var i = 0; i < seq; i++)
            {
                var slot = start + i;
                positions[(b * seq) + i] = Math.Max(0, slot - pad);
                for (var j = 0; j < total; j++)
                {
                    var visible = slot < pad ? j == slot : j >= pad && j <= slot;
                    hidden[(((b * seq) + i) * total) + j] = !visible;
                }
            }
        }

        return (tensor(hidden, batch, 1, seq, total), tensor(positions, batch, seq));
    }
    // The one seam where an attached LoRA adapter adds scaling·B·A·x to a projection's output (per module, after the
    // base weight and bias), so the base weights are never modified or copied while an adapter is attached.
    private Tensor Project(Tensor input, int layer, LoraTargetModule module, Tensor weight, Tensor? bias = null)
    {
        var output = Linear(input, weight, bias);
        if (_adapter is null)
        {
            return output;
        }

        // The adapter's tensors require gradients; inference must not record a graph (it would reach into the KV cache).
        using var noGrad = no_grad();
        return _adapter.Apply(layer, module, input, output, training: false);
    }

    // One decoded token against a large matrix streams the weights through MatVec; a prompt's fp32 projections go
    // through MatMul's AVX-512 kernel (faster than libtorch's MKL path on AMD); everything else is TorchSharp.
    private Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) =>
        MatVec.Applies(input, weight) ? MatVec.Linear(input, weight, bias)
        : MatMul.Applies(input, weight, bias, MatMulAtAnySize) ? MatMul.Linear(input, weight, bias)
        : F.linear(input, weight, bias);
}
