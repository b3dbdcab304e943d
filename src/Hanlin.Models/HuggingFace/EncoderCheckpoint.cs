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

    /// <summary>Every tensor the configuration implies, by Hugging Face name (without a task head's prefix), with its shape.</summary>
    public static IReadOnlyList<KeyValuePair<string, long[]>> ExpectedTensors(BertConfig config)
    {
        var (h, inner) = (config.HiddenSize, config.IntermediateSize);
        var result = new List<KeyValuePair<string, long[]>>();
        void Add(string name, params long[] shape) => result.Add(new(name, shape));
        Add("embeddings.word_embeddings.weight", config.VocabSize, h);
        Add("embeddings.position_embeddings.weight", config.MaxPositions, h);
        Add("embeddings.token_type_embeddings.weight", config.TypeVocabSize, h);
        Add("embeddings.LayerNorm.weight", h);
        Add("embeddings.LayerNorm.bias", h);
        for (var i = 0; i < config.Layers; i++)
        {
            var p = $"encoder.layer.{i}.";
            foreach (var projection in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense" })
            {
                Add(p + projection + ".weight", h, h);
                Add(p + projection + ".bias", h);
            }

            Add(p + "attention.output.LayerNorm.weight", h);
            Add(p + "attention.output.LayerNorm.bias", h);
            Add(p + "intermediate.dense.weight", inner, h);
            Add(p + "intermediate.dense.bias", inner);
            Add(p + "output.dense.weight", h, inner);
            Add(p + "output.dense.bias", h);
            Add(p + "output.LayerNorm.weight", h);
            Add(p + "output.LayerNorm.bias", h);
        }

        return result;
    }

    public static BertModel Load(
        SafetensorsWeightSet weights, BertConfig config, string source, ScalarType dtype, IProgress<float>? progress, CancellationToken cancellationToken)
    {
        // Task-head checkpoints (BertForMaskedLM, BertForPreTraining) nest the encoder under "bert.".
        var prefix = weights.Contains("embeddings.word_embeddings.weight") ? string.Empty : "bert.";
        var t = CheckpointReader.ReadAll(weights, ExpectedTensors(config), prefix, dtype, progress, cancellationToken);
        try
        {
            var layers = new List<BertLayerWeights>();
            for (var i = 0; i < config.Layers; i++)
            {
                var p = $"encoder.layer.{i}.";
                layers.Add(new BertLayerWeights(
                    t[p + "attention.self.query.weight"], t[p + "attention.self.query.bias"],
                    t[p + "attention.self.key.weight"], t[p + "attention.self.key.bias"],
                    t[p + "attention.self.value.weight"], t[p + "attention.self.value.bias"],
                    t[p + "attention.output.dense.weight"], t[p + "attention.output.dense.bias"],
                    t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"],
                    t[p + "intermediate.dense.weight"], t[p + "intermediate.dense.bias"],
                    t[p + "output.dense.weight"], t[p + "output.dense.bias"],
                    t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"]));
            }

            return new BertModel(
                config,
                new BertWeights(
                    t["embeddings.word_embeddings.weight"], t["embeddings.position_embeddings.weight"], t["embeddings.token_type_embeddings.weight"],
                    t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"], layers),
                source);
        }
        catch
        {
            CheckpointReader.DisposeAll(t);
            throw;
        }
    }
}
