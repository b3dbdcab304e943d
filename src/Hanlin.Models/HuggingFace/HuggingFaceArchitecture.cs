namespace Hanlin.Models.HuggingFace;

/// <summary>The Hugging Face model families Hanlin runs.</summary>
public enum HuggingFaceArchitecture
{
    /// <summary><c>LlamaForCausalLM</c>: Llama 1/2/3 (grouped-query attention, optional Llama-3 RoPE scaling).</summary>
    Llama,

    /// <summary><c>Qwen2ForCausalLM</c>: Qwen2/Qwen2.5 (q/k/v bias, usually tied embeddings).</summary>
    Qwen2,

    /// <summary><c>MistralForCausalLM</c>.</summary>
    Mistral,

    /// <summary><c>BertModel</c> and BERT-family encoders used for embeddings (bge, e5).</summary>
    Bert,
}
