"""Writes Hanlin's PEFT LoRA reference fixtures and checks an adapter Hanlin wrote against PEFT.

Run where torch, transformers (5.x) and peft are installed (no internet needed):
    python3 tools/peft-fixtures/generate.py OUTPUT_DIR [HF_FIXTURES_DIR] [PEFT_FIXTURES_DIR]
HF_FIXTURES_DIR defaults to tests/Hanlin.Models.Tests/Fixtures/hf: the tiny random-initialised base models
(llama3-gqa: Llama with GQA and Llama-3 RoPE scaling; qwen2-tied: q/k/v bias, tied embeddings) are reused from
there rather than duplicated. PEFT_FIXTURES_DIR defaults to tests/Hanlin.Models.Tests/Fixtures/peft; when it holds
hanlin-written/ (an adapter saved by Hanlin) and hanlin-written.reference.* (Hanlin's logits for it), the adapter is
loaded into PEFT and its logits compared with Hanlin's (max |difference| <= 1e-4), and the result is printed and
written to OUTPUT_DIR/hanlin-written.peft-check.json. With --check-only nothing else is generated.

For each case OUTPUT_DIR gets NAME/ (adapter_config.json + adapter_model.safetensors as PEFT saves them),
NAME.reference.json (base, input ids, attention mask, labels with -100 on prompts and padding, loss) and
NAME.reference.safetensors (logits [batch, seq, vocab] with the adapter, and grad.<PEFT tensor name> for every
lora_A/lora_B after one backward of the loss). lora_B is random, not PEFT's zeros, so the adapter changes the
logits. Everything runs on the CPU in float32, dropout 0, so the numbers are deterministic.
"""
import json
import os
import shutil
import sys

import peft
import torch
import transformers
from peft import LoraConfig, PeftModel, get_peft_model
from safetensors.torch import load_file, save_file
from transformers import AutoModelForCausalLM

ALL_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
# Row 0: 10 real tokens, the first 4 a prompt. Row 1: 7 real tokens (3-token prompt), then 3 right-padding slots.
INPUT_IDS = [[1, 17, 200, 45, 99, 3, 250, 8, 77, 120],
             [1, 64, 5, 31, 190, 42, 11, 0, 0, 0]]
ATTENTION_MASK = [[1] * 10, [1] * 7 + [0] * 3]
PROMPT = [4, 3]
CASES = [
    # name, base fixture, LoraConfig arguments, seed for lora_B
    ("llama-lora", "llama3-gqa", dict(r=4, lora_alpha=8, target_modules=ALL_MODULES), 11),
    ("qwen2-lora", "qwen2-tied", dict(r=4, lora_alpha=8, target_modules=ALL_MODULES), 12),
    ("llama-rslora", "llama3-gqa", dict(r=4, lora_alpha=8, use_rslora=True,
                                         target_modules=["q_proj", "v_proj", "down_proj"]), 13),
    ("qwen2-layers", "qwen2-tied", dict(r=4, lora_alpha=8, target_modules=ALL_MODULES, layers_to_transform=[1]), 14),
]
TOLERANCE = 1e-4


def labels():
    result = []
    for row, mask, prompt in zip(INPUT_IDS, ATTENTION_MASK, PROMPT):
        result.append([-100 if i < prompt or m == 0 else t for i, (t, m) in enumerate(zip(row, mask))])
    return result


def load_base(hf_dir, base):
    model = AutoModelForCausalLM.from_pretrained(os.path.join(hf_dir, base), dtype=torch.float32,
                                                 attn_implementation="eager")
    return model.eval()


def rewrite_base_name(adapter_dir, base):
    # PEFT records the path the base was loaded from; the fixture names the base fixture instead.
    path = os.path.join(adapter_dir, "adapter_config.json")
    with open(path) as f:
        cfg = json.load(f)
    cfg["base_model_name_or_path"] = base
    with open(path, "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)


def case(out, hf_dir, name, base, lora_args, seed):
    torch.manual_seed(seed)  # PEFT's kaiming-uniform lora_A draws from the global generator
    model = get_peft_model(load_base(hf_dir, base),
                           LoraConfig(task_type="CAUSAL_LM", lora_dropout=0.0, bias="none", **lora_args))
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if "lora_B" in pname:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
    model.eval()  # dropout is 0 anyway; eval keeps every other module deterministic

    ids = torch.tensor(INPUT_IDS)
    mask = torch.tensor(ATTENTION_MASK)
    lab = torch.tensor(labels())
    output = model(input_ids=ids, attention_mask=mask, labels=lab)
    output.loss.backward()
    logits = output.logits.detach().float().contiguous()

    adapter_dir = os.path.join(out, name)
    model.save_pretrained(adapter_dir)
    rewrite_base_name(adapter_dir, base)
    os.remove(os.path.join(adapter_dir, "README.md"))  # PEFT's boilerplate model card
    saved = load_file(os.path.join(adapter_dir, "adapter_model.safetensors"))
    tensors = {"logits": logits}
    for pname, p in model.named_parameters():
        if p.requires_grad:
            saved_name = pname.replace(".default", "")
            assert saved_name in saved, f"{saved_name} not among the saved names {sorted(saved)[:4]}..."
            tensors["grad." + saved_name] = p.grad.detach().contiguous()
    assert len(tensors) - 1 == len(saved), "every saved tensor has a gradient"
    save_file(tensors, os.path.join(out, name + ".reference.safetensors"))

    # The saved adapter reproduces the logits when PEFT loads it back, and it changes the base model's logits.
    with torch.no_grad():
        base_logits = load_base(hf_dir, base)(input_ids=ids, attention_mask=mask).logits
        reloaded = PeftModel.from_pretrained(load_base(hf_dir, base), adapter_dir).eval()
        again = reloaded(input_ids=ids, attention_mask=mask).logits
    reload_diff = float((again - logits).abs().max())
    effect = float((base_logits - logits).abs().max())
    assert reload_diff <= 1e-5, f"{name}: PEFT reload differs by {reload_diff}"
    assert effect > 1e-2, f"{name}: the adapter barely changes the logits ({effect})"

    with open(os.path.join(out, name + ".reference.json"), "w") as f:
        json.dump({"base": base, "input_ids": INPUT_IDS, "attention_mask": ATTENTION_MASK, "labels": labels(),
                   "loss": float(output.loss), "adapter_effect_max_abs": effect,
                   "transformers": transformers.__version__, "peft": peft.__version__, "torch": torch.__version__},
                  f, indent=2)
    print(name, "loss", float(output.loss), "adapter effect", effect, "reload diff", reload_diff,
          "tensors", len(saved), "names e.g.", sorted(saved)[0])


def check_hanlin_written(out, hf_dir, peft_dir):
    adapter_dir = os.path.join(peft_dir, "hanlin-written")
    if not os.path.isdir(adapter_dir):
        print("hanlin-written: no adapter written by Hanlin at", adapter_dir, "- check skipped")
        return True
    with open(os.path.join(peft_dir, "hanlin-written.reference.json")) as f:
        ref = json.load(f)
    expected = load_file(os.path.join(peft_dir, "hanlin-written.reference.safetensors"))["logits"]
    model = PeftModel.from_pretrained(load_base(hf_dir, ref["base"]), adapter_dir).eval()
    with torch.no_grad():
        logits = model(input_ids=torch.tensor(ref["input_ids"])).logits.float()
        base_logits = load_base(hf_dir, ref["base"])(input_ids=torch.tensor(ref["input_ids"])).logits
    diff = float((logits - expected).abs().max())
    effect = float((base_logits - expected).abs().max())
    ok = diff <= TOLERANCE and effect > 1e-2
    result = {"adapter": "hanlin-written", "base": ref["base"], "max_abs_logit_difference": diff,
              "adapter_effect_max_abs": effect, "tolerance": TOLERANCE, "passed": ok,
              "peft_config": type(model.peft_config["default"]).__name__,
              "scalings": sorted({float(m.scaling["default"]) for m in model.modules() if hasattr(m, "scaling")
                                  and isinstance(m.scaling, dict) and "default" in m.scaling}),
              "transformers": transformers.__version__, "peft": peft.__version__, "torch": torch.__version__}
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "hanlin-written.peft-check.json"), "w") as f:
        json.dump(result, f, indent=2)
    print("HANLIN-WRITTEN CHECK", "PASS" if ok else "FAIL", json.dumps(result))
    return ok


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    check_only = "--check-only" in sys.argv
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Hanlin.Models.Tests", "Fixtures")
    out = args[0] if args else "peft"
    hf_dir = args[1] if len(args) > 1 else os.path.join(root, "hf")
    peft_dir = args[2] if len(args) > 2 else os.path.join(root, "peft")
    torch.set_num_threads(1)
    if not check_only:
        if os.path.exists(out):
            shutil.rmtree(out)
        os.makedirs(out)
        for name, base, lora_args, seed in CASES:
            case(out, hf_dir, name, base, lora_args, seed)
    ok = check_hanlin_written(out, hf_dir, peft_dir)
    for dirpath, _, files in os.walk(out):
        for f in sorted(files):
            p = os.path.join(dirpath, f)
            print(" ", p, os.path.getsize(p))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
