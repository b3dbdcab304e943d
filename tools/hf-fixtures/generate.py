"""Writes Hanlin's Hugging Face reference fixtures: tiny random-initialised decoders (Llama with GQA and
Llama-3 RoPE scaling, a bf16 sharded Llama, Qwen2, Mistral) and a BERT encoder, with the logits, greedy
continuations and embeddings that transformers computes for them.

Run where torch and transformers are installed (no internet needed):
    python3 tools/hf-fixtures/generate.py OUTPUT_DIR
Everything is computed on the CPU in float32 so the numbers are deterministic. The output folder is what
tests/Hanlin.Models.Tests/Fixtures/hf holds.
"""
import copy
import inspect
import json
import os
import shutil
import sys

import torch
import transformers
from safetensors.torch import save_file
from transformers import (BertConfig, BertModel, BertTokenizer, LlamaConfig, LlamaForCausalLM, MistralConfig,
                          MistralForCausalLM, Qwen2Config, Qwen2ForCausalLM)

OUT = sys.argv[1] if len(sys.argv) > 1 else "hf"
PROMPT = [1, 17, 200, 45, 99, 3, 250, 8, 77]
NEW_TOKENS = 10
torch.set_grad_enabled(False)


def uses_rope_parameters(cls):
    return "rope_parameters" in inspect.signature(cls.__init__).parameters


def rope_kwargs(cls, theta, scaling=None):
    if uses_rope_parameters(cls):  # transformers >= 5
        params = {"rope_type": "default", "rope_theta": theta}
        if scaling:
            params.update(scaling)
        return {"rope_parameters": params}
    kwargs = {"rope_theta": theta}
    if scaling:
        kwargs["rope_scaling"] = scaling
    return kwargs


def init_weights(model, seed):
    # Larger than the usual 0.02 so logits are well separated and greedy choices are not near-ties.
    g = torch.Generator().manual_seed(seed)
    for name, p in model.named_parameters():
        if "norm" in name.lower() and name.endswith("weight"):
            p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
        else:
            p.copy_(0.15 * torch.randn(p.shape, generator=g))


def decoder(name, model, save_dtype=None, shard=None, legacy_config=None):
    path = os.path.join(OUT, name)
    model.eval()
    kwargs = {"safe_serialization": True}
    if shard:
        kwargs["max_shard_size"] = shard
    if save_dtype is not None:
        # The reference is the fp32 model whose parameters are exactly the stored (rounded) values. Only parameters
        # are rounded: model.to() would also round the RoPE inv_freq buffer, which a loaded model recomputes in fp32.
        for p in model.parameters():
            p.data = p.data.to(save_dtype).to(torch.float32)
        copy.deepcopy(model).to(save_dtype).save_pretrained(path, **kwargs)
    else:
        model.save_pretrained(path, **kwargs)
    if legacy_config:
        with open(os.path.join(path, "config.json")) as f:
            cfg = json.load(f)
        cfg = legacy_config(cfg)
        with open(os.path.join(path, "config.json"), "w") as f:
            json.dump(cfg, f, indent=2)
    ids = torch.tensor([PROMPT])
    logits = model(ids).logits[0].float().contiguous()  # [seq, vocab]
    model.generation_config.save_pretrained(path)
    gen = copy.deepcopy(model.generation_config)
    gen.eos_token_id = None  # the fixture's continuation always has NEW_TOKENS tokens
    gen.pad_token_id = 0
    gen.do_sample = False
    gen.max_new_tokens = NEW_TOKENS
    gen.use_cache = True
    out = model.generate(ids, generation_config=gen)
    generated = out[0, len(PROMPT):].tolist()
    # Smallest gap between the best and second-best logit along the greedy path: how robust the tokens are.
    seq = out[:, :-1]
    path_logits = model(seq).logits[0, len(PROMPT) - 1:]
    top2 = path_logits.topk(2, dim=-1).values
    margin = float((top2[:, 0] - top2[:, 1]).min())
    save_file({"logits": logits}, os.path.join(OUT, name + ".reference.safetensors"))
    with open(os.path.join(OUT, name + ".reference.json"), "w") as f:
        json.dump({"input_ids": PROMPT, "greedy_tokens": generated, "min_greedy_margin": margin,
                   "transformers": transformers.__version__, "torch": torch.__version__}, f, indent=2)
    print(name, "greedy", generated, "margin", margin, "files", sorted(os.listdir(path)))


def legacy_llama3(cfg):
    # Real Llama-3.x checkpoints carry rope_theta and rope_scaling at the top level (pre-v5 transformers).
    params = cfg.pop("rope_parameters", None)
    if params is not None:
        cfg["rope_theta"] = params.pop("rope_theta")
        cfg["rope_scaling"] = params
    return cfg


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    common = dict(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                  num_attention_heads=4, max_position_embeddings=256, rms_norm_eps=1e-5,
                  bos_token_id=1, eos_token_id=2)

    torch.manual_seed(0)
    scaling = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
               "original_max_position_embeddings": 64}
    cfg = LlamaConfig(num_key_value_heads=2, tie_word_embeddings=False,
                      **rope_kwargs(LlamaConfig, 500000.0, scaling), **common)
    m = LlamaForCausalLM(cfg)
    init_weights(m, 1)
    decoder("llama3-gqa", m, legacy_config=legacy_llama3)

    torch.manual_seed(0)
    cfg = LlamaConfig(num_key_value_heads=4, tie_word_embeddings=False, **rope_kwargs(LlamaConfig, 10000.0), **common)
    m = LlamaForCausalLM(cfg)
    init_weights(m, 2)
    decoder("llama-bf16-sharded", m, save_dtype=torch.bfloat16, shard="100KB")

    torch.manual_seed(0)
    cfg = Qwen2Config(num_key_value_heads=2, tie_word_embeddings=True, use_sliding_window=False,
                      **rope_kwargs(Qwen2Config, 1000000.0), **{**common, "rms_norm_eps": 1e-6})
    m = Qwen2ForCausalLM(cfg)
    init_weights(m, 3)
    decoder("qwen2-tied", m)

    torch.manual_seed(0)
    cfg = MistralConfig(num_key_value_heads=1, tie_word_embeddings=False, sliding_window=4096,
                        **rope_kwargs(MistralConfig, 10000.0), **common)
    m = MistralForCausalLM(cfg)
    init_weights(m, 4)
    decoder("mistral-fp16", m, save_dtype=torch.float16)

    bert()
    print("files:")
    for root, _, files in os.walk(OUT):
        for f in sorted(files):
            p = os.path.join(root, f)
            print(" ", p, os.path.getsize(p))


def bert():
    path = os.path.join(OUT, "bert")
    os.makedirs(path)
    words = ["the", "a", "of", "and", "model", "knowledge", "base", "search", "local", "private", "hanlin",
             "is", "runs", "on", "cpu", "text", "embed", "##s", "##ing", "##ed", "un", "##known", ",", ".", "!",
             "?", "中", "文", "知", "识", "库", "模", "型", "检", "索"]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + \
        ["##" + chr(c) for c in range(ord("a"), ord("z") + 1)] + words
    with open(os.path.join(path, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    tok = BertTokenizer.from_pretrained(path, do_lower_case=True)
    unknown = tok.convert_tokens_to_ids("[UNK]")
    assert tok("hanlin runs")["input_ids"][1:-1] != [unknown, unknown], "the tokenizer did not read vocab.txt"
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=128, max_position_embeddings=64, type_vocab_size=2, hidden_act="gelu",
                     layer_norm_eps=1e-12, pad_token_id=0)
    torch.manual_seed(0)
    m = BertModel(cfg, add_pooling_layer=False).eval()
    init_weights(m, 5)
    m.save_pretrained(path, safe_serialization=True)
    texts = ["Hanlin runs a private knowledge base on the CPU.", "Embedding text!",
             "Unknown wordz, searched.", "中文知识库检索模型"]
    batch = tok(texts, padding=True, return_tensors="pt")
    hidden = m(**batch).last_hidden_state  # [batch, seq, hidden]
    mask = batch["attention_mask"].unsqueeze(-1).float()
    mean = (hidden * mask).sum(1) / mask.sum(1)
    cls = hidden[:, 0]
    norm = torch.nn.functional.normalize
    save_file({"mean": norm(mean, dim=-1).contiguous(), "cls": norm(cls, dim=-1).contiguous(),
               "mean_raw": mean.contiguous()}, os.path.join(OUT, "bert.reference.safetensors"))
    ids = [tok(t)["input_ids"] for t in texts]
    with open(os.path.join(OUT, "bert.reference.json"), "w", encoding="utf-8") as f:
        json.dump({"texts": texts, "input_ids": ids, "transformers": transformers.__version__}, f,
                  indent=2, ensure_ascii=False)
    print("bert ids", ids)


if __name__ == "__main__":
    main()
