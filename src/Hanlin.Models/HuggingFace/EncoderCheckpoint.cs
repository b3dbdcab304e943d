using Hanlin.Core.Errors;
using Hanlin.Models.Bert;
using static TorchSharp.torch;

namespace Hanlin.Models.HuggingFace;

/// <summary>Maps a Hugging Face BERT configuration and tensor names (with or without the <c>bert.</c> prefix of task heads) onto <see cref="BertModel"/>.</summary>
internal static class EncoderCheckpoint
{
    public static BertConfig ReadConfig(ConfigJson json)
    {
        var activation = json.String("hidden_act") ?? "gelu";
        if (activation != "gelu")
        {
            throw new HanlinException(ErrorCodes.UnsupportedModel, $"'{json.Path}' asks for hidden_act \"{activation}\"; Hanlin's BERT implements exact gelu only.");
        }

        var positions = json.String("position_embedding_type") ?? "absolute";
        if (positions != "absolute")
        {
            throw new HanlinException(ErrorCodes.UnsupportedModel, $"'{json.Path}' asks for position_embedding_type \"{positions}\"; Hanlin's BERT implements absolute positions only.");
        }

        var config = new BertConfig(
            json.RequiredInt("vocab_size"),
            json.RequiredInt("hidden_size"),
            json.RequiredInt("num_hidden_layers"),
            json.RequiredInt("num_attention_heads"),
            json.RequiredInt("intermediate_size"),
            json.RequiredInt("max_position_embeddings"),
            json.Int("type_vocab_size") ?? 2)
        {
            LayerNormEpsilon = (float)(json.Number("layer_norm_eps") ?? 1e-12),
            PadTokenId = json.Int("pad_token_id") ?? 0,
        };
        config.Validate(json.Path);
        return config;
    }

    public static BertModel Load(
        SafetensorsWeightSet weights, BertConfig config, string source, ScalarType dtype, IProgress<float>? progress, CancellationToken cancellationToken)
    {
        var prefix = weights.Contains("embeddings.word_embeddings.weight") ? string.Empty : "bert.";
        var owned = new List<Tensor>();
        var total = Math.Max(1, weights.TotalBytes);
        long done = 0;
        Tensor Read(string name, params long[] shape)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tensor = weights.Read(prefix + name, dtype, shape).DetachFromDisposeScope();
            owned.Add(tensor);
            done += weights.StoredBytes(prefix + name);
            progress?.Report((float)done / total);
            return tensor;
        }

        try
        {
            var (h, inner) = (config.HiddenSize, config.IntermediateSize);
            var word = Read("embeddings.word_embeddings.weight", config.VocabSize, h);
            var position = Read("embeddings.position_embeddings.weight", config.MaxPositions, h);
            var type = Read("embeddings.token_type_embeddings.weight", config.TypeVocabSize, h);
            var normWeight = Read("embeddings.LayerNorm.weight", h);
            var normBias = Read("embeddings.LayerNorm.bias", h);
            var layers = new List<BertLayerWeights>();
            for (var i = 0; i < config.Layers; i++)
            {
                var p = $"encoder.layer.{i}.";
                layers.Add(new BertLayerWeights(
                    Read(p + "attention.self.query.weight", h, h), Read(p + "attention.self.query.bias", h),
                    Read(p + "attention.self.key.weight", h, h), Read(p + "attention.self.key.bias", h),
                    Read(p + "attention.self.value.weight", h, h), Read(p + "attention.self.value.bias", h),
                    Read(p + "attention.output.dense.weight", h, h), Read(p + "attention.output.dense.bias", h),
                    Read(p + "attention.output.LayerNorm.weight", h), Read(p + "attention.output.LayerNorm.bias", h),
                    Read(p + "intermediate.dense.weight", inner, h), Read(p + "intermediate.dense.bias", inner),
                    Read(p + "output.dense.weight", h, inner), Read(p + "output.dense.bias", h),
                    Read(p + "output.LayerNorm.weight", h), Read(p + "output.LayerNorm.bias", h)));
            }

            progress?.Report(1f);
            return new BertModel(config, new BertWeights(word, position, type, normWeight, normBias, layers), source);
        }
        catch
        {
            foreach (var tensor in owned)
            {
                tensor.Dispose();
            }

            throw;
        }
    }
}
