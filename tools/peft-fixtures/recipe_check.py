"""Runs a recipe exported by `hanlin finetune export` on a GPU machine and records what Hanlin must reproduce.

    python3 tools/peft-fixtures/recipe_check.py RECIPE_DIR HF_FIXTURES_DIR OUTPUT_DIR

The recipe must have been exported with `--model /tmp/hanlin-recipe-base`. This script builds that base from the tiny
random-initialised Llama fixture (HF_FIXTURES_DIR/llama3-gqa, 256-token vocabulary) plus a byte-level tokenizer whose
ids are the byte values and a small chat template, runs the recipe with torchrun (one process per visible GPU, at most
2), and checks that the training loss fell. It then loads the adapter the recipe saved into PEFT on the CPU in float32
and writes OUTPUT_DIR/recipe-trained/ (the adapter as trained), recipe-trained.reference.json (input ids, first and
last training losses) and recipe-trained.reference.safetensors (logits with the adapter), which Hanlin's tests compare
with their own logits for the same adapter (max |difference| <= 1e-4).
"""
import json
import os
import shutil
import subprocess
import sys

import torch
from peft import PeftModel
from safetensors.torch import save_file
from tokenizers import Tokenizer, decoders, models, pre_tokenizers
from transformers import AutoModelForCausalLM, PreTrainedTokenizerFast

BASE = "/tmp/hanlin-recipe-base"
# "<user>Dose?\n<assistant>" as byte ids.
INPUT_IDS = [[60, 117, 115, 101, 114, 62, 68, 111, 115, 101, 63, 10, 60, 97, 115, 115, 105, 115, 116, 97, 110, 116, 62]]
TEMPLATE = ("{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}\n{% endfor %}"
            "{% if add_generation_prompt %}<assistant>{% endif %}")


def bytes_to_unicode():
    # GPT-2's reversible byte -> printable character map, so byte b is token id b.
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def build_base(hf_dir):
    if os.path.exists(BASE):
        shutil.rmtree(BASE)
    shutil.copytree(os.path.join(hf_dir, "llama3-gqa"), BASE)
    chars = bytes_to_unicode()
    tok = Tokenizer(models.BPE(vocab={chars[b]: b for b in range(256)}, merges=[]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token=chars[1], eos_token=chars[2], pad_token=chars[0])
    fast.chat_template = TEMPLATE
    fast.save_pretrained(BASE)
    encoded = fast("<user>Dose?\n<assistant>", add_special_tokens=False)["input_ids"]
    assert encoded == INPUT_IDS[0], encoded


def main():
    recipe, hf_dir, out = sys.argv[1:4]
    build_base(hf_dir)
    gpus = min(2, torch.cuda.device_count()) or 1
    work = "/tmp/hanlin-recipe-run"
    if os.path.exists(work):
        shutil.rmtree(work)
    shutil.copytree(recipe, work)
    subprocess.run(["torchrun", "--standalone", f"--nproc_per_node={gpus}", "train.py", "--config", "config.json",
                    "--model", BASE, "--train", "data/train.jsonl", "--output", "out"], cwd=work, check=True)
    with open(os.path.join(work, "out", "metrics.jsonl")) as f:
        rows = [json.loads(line) for line in f]
    losses = [r["train_loss"] for r in rows if r["train_loss"] is not None]
    first, last = sum(losses[:3]) / 3, sum(losses[-3:]) / 3
    assert last < 0.8 * first, f"the loss did not fall: {first} -> {last}"

    if os.path.exists(out):
        shutil.rmtree(out)
    adapter = os.path.join(out, "recipe-trained")
    shutil.copytree(os.path.join(work, "out", "adapter"), adapter)
    readme = os.path.join(adapter, "README.md")
    if os.path.exists(readme):
        os.remove(readme)
    with open(os.path.join(adapter, "adapter_config.json")) as f:
        cfg = json.load(f)
    cfg["base_model_name_or_path"] = "llama3-gqa"
    with open(os.path.join(adapter, "adapter_config.json"), "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)

    def base():
        return AutoModelForCausalLM.from_pretrained(BASE, dtype=torch.float32, attn_implementation="eager").eval()

    with torch.no_grad():
        ids = torch.tensor(INPUT_IDS)
        logits = PeftModel.from_pretrained(base(), adapter).eval()(input_ids=ids).logits.float().contiguous()
        effect = float((base()(input_ids=ids).logits - logits).abs().max())
    assert effect > 1e-3, f"the trained adapter barely changes the logits ({effect})"
    save_file({"logits": logits}, os.path.join(out, "recipe-trained.reference.safetensors"))
    with open(os.path.join(out, "recipe-trained.reference.json"), "w") as f:
        json.dump({"base": "llama3-gqa", "input_ids": INPUT_IDS, "gpus": gpus, "first_losses": losses[:3],
                   "last_losses": losses[-3:], "steps": len(losses), "adapter_effect_max_abs": effect}, f, indent=2)
    print("RECIPE CHECK PASS", json.dumps({"gpus": gpus, "first": first, "last": last, "effect": effect}))


if __name__ == "__main__":
    main()
