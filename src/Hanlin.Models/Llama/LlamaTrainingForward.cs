using Hanlin.Models.Lora;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Hanlin.Models.Llama;

/// <summary>
/// The full-sequence forward used for training: no KV cache, no hand-written kernels, every operation recorded by
/// autograd so gradients reach the LoRA tensors. It computes what <see cref="LlamaModel.Forward(Tensor, int, KvCache, bool)"/>
/// computes from position 0 (same RMSNorm, RoPE tables and projections), plus a key-padding mask.
/// </summary>
internal static class LlamaTrainingForward
{
    private const long IgnoreIndex = -100; // transformers' and PyTorch's convention for unlabelled positions

    public static Tensor Run(LlamaModel model, LoraAdapter? adapter, Tensor tokens, Tensor? attentionMask, bool training)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.dim() != 2)
        {
            throw new ArgumentException($"Expected tokens [batch, seq], got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        }

        var (batch, seq) = (tokens.shape[0], tokens.shape[1]);
        if (attentionMask is not null && !attentionMask.shape.SequenceEqual(tokens.shape))
        {
            throw new ArgumentException($"Expected an attention mask [{batch}, {seq}], got [{string.Join(", ", attentionMask.shape)}].", nameof(attentionMask));
        }

        var c = model.Config;
        if (seq > c.MaxSequenceLength)
        {
            throw new Core.Errors.HanlinException(
                Core.Errors.ErrorCodes.ContextLengthExceeded,
                $"A training sequence of {seq} tokens exceeds the context of {c.MaxSequenceLength} tokens of model '{model.Source}'.");
        }

        var weights = model.Weights;
        using var scope = NewDisposeScope();

        // Hidden (true) where query i must not see key j: future keys, and padding keys. A query that would see nothing
        // (padding before every real token) keeps itself visible so its softmax stays finite; its output is never
        // counted. Right padding never needs that, so every position equals transformers'. [batch|1, 1, seq, seq]
        var hidden = ones(seq, seq, dtype: ScalarType.Bool).triu(1).reshape(1, 1, seq, seq);
        if (attentionMask is not null)
        {
            hidden = hidden.logical_or(attentionMask.eq(0).reshape(batch, 1, 1, seq));
            var blind = hidden.all(-1, keepdim: true);                         // [batch, 1, seq, 1]
            hidden = hidden.logical_and(eye(seq, dtype: ScalarType.Bool).logical_and(blind).logical_not());
        }

        var x = weights.TokenEmbedding.index_select(0, tokens.reshape(-1)).reshape(batch, seq, c.Dim); // [batch, seq, dim]
        var group = c.Heads / c.KvHeads;
        for (var layer = 0; layer < c.Layers; layer++)
        {
            var w = weights.Layers[layer];
            Tensor Project(Tensor input, LoraTargetModule module, Tensor weight, Tensor? bias = null)
            {
                var output = F.linear(input, weight, bias);
                return adapter is null ? output : adapter.Apply(layer, module, input, output, training);
            }

            var h = model.RmsNorm(x, w.AttentionNorm);
            var q = Project(h, LoraTargetModule.QProj, w.Wq, w.Bq).view(batch, seq, c.Heads, c.HeadDim).transpose(1, 2);   // [batch, heads, seq, headDim]
            var k = Project(h, LoraTargetModule.KProj, w.Wk, w.Bk).view(batch, seq, c.KvHeads, c.HeadDim).transpose(1, 2); // [batch, kvHeads, seq, headDim]
            var v = Project(h, LoraTargetModule.VProj, w.Wv, w.Bv).view(batch, seq, c.KvHeads, c.HeadDim).transpose(1, 2);
            q = model.Rope.Apply(q, 0);
            k = model.Rope.Apply(k, 0);
            if (group > 1)
            {
                k = k.repeat_interleave(group, 1); // query head h reads key/value head h / group: [batch, heads, seq, headDim]
                v = v.repeat_interleave(group, 1);
            }

            var scores = matmul(q, k.transpose(2, 3)) / MathF.Sqrt(c.HeadDim); // [batch, heads, seq, seq]
            scores = scores.masked_fill(hidden, float.NegativeInfinity);
            var probabilities = scores.dtype == ScalarType.Float32 ? scores.softmax(-1) : scores.to(ScalarType.Float32).softmax(-1).to(scores.dtype);
            var attention = matmul(probabilities, v).transpose(1, 2).reshape(batch, seq, c.Dim); // [batch, seq, dim]
            x = x + Project(attention, LoraTargetModule.OProj, w.Wo);

            h = model.RmsNorm(x, w.FfnNorm);
            var gated = F.silu(Project(h, LoraTargetModule.GateProj, w.W1)) * Project(h, LoraTargetModule.UpProj, w.W3); // [batch, seq, hidden]
            x = x + Project(gated, LoraTargetModule.DownProj, w.W2);
        }

        var logits = F.linear(model.RmsNorm(x, weights.FinalNorm), weights.Classifier); // [batch, seq, vocab]
        if (logits.dtype != ScalarType.Float32)
        {
            logits = logits.to(ScalarType.Float32);
        }

        return logits.MoveToOuterDisposeScope();
    }

    public static Tensor CausalLmLoss(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.dim() != 3 || labels.dim() != 2 || logits.shape[0] != labels.shape[0] || logits.shape[1] != labels.shape[1])
        {
            throw new ArgumentException($"Expected logits [batch, seq, vocab] and labels [batch, seq], got [{string.Join(", ", logits.shape)}] and [{string.Join(", ", labels.shape)}].", nameof(labels));
        }

        using var scope = NewDisposeScope();
        var (seq, vocab) = (logits.shape[1], logits.shape[2]);
        var predicted = logits.narrow(1, 0, seq - 1).reshape(-1, vocab);   // [batch·(seq-1), vocab]
        var target = labels.narrow(1, 1, seq - 1).reshape(-1).to(ScalarType.Int64); // [batch·(seq-1)]
        if (predicted.dtype != ScalarType.Float32)
        {
            predicted = predicted.to(ScalarType.Float32);
        }

        return F.cross_entropy(predicted, target, ignore_index: IgnoreIndex, reduction: nn.Reduction.Mean).MoveToOuterDisposeScope();
    }
}
