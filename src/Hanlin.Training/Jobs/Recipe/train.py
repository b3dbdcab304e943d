"""LoRA fine-tuning recipe exported by Hanlin (`hanlin finetune export`): the same job, for PyTorch + PEFT on GPU nodes.

    torchrun --nproc_per_node=N train.py --config config.json --model BASE_DIR --train data/train.jsonl \
        [--validation data/validation.jsonl] --output out/

config.json holds Hanlin's fine-tuning options (snake_case, as in `hanlin finetune run --config`): lora.rank, lora.alpha,
lora.dropout, lora.use_rs_lora, lora.target_modules, lora.layers, learning_rate, epochs, max_steps, batch_size,
gradient_accumulation, max_sequence_length, warmup_steps, schedule (linear|cosine|constant), weight_decay, beta1, beta2,
epsilon, max_gradient_norm, seed, precision (float32|bfloat16). Stages are run one after another.

Examples are rendered with the base model's own chat template and the loss counts assistant tokens only (labels -100
elsewhere), as Hanlin does. Data are chat JSONL ({"messages": [...]}), alpaca (instruction/input/output), sharegpt
(conversations with from/value) or plain text (continued pre-training windows). The adapter is saved in the PEFT format
under OUTPUT/adapter (Hanlin loads it with `--adapter`); OUTPUT/metrics.jsonl has one JSON object per logged step.
"""
import argparse
import json
import math
import os
import random
import time

import torch
import torch.distributed as dist
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer

ROLES = {"human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant", "system": "system"}


def read_examples(path):
    examples = []
    with open(path, encoding="utf-8-sig") as f:
        lines = [line for line in f.read().splitlines()]
    jsonl = all(not line.strip() or line.lstrip().startswith("{") for line in lines)
    if not jsonl:
        text = "\n".join(lines)
        return [{"text": block.strip()} for block in text.split("\n\n") if block.strip()]
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if "messages" in row:
            examples.append({"messages": [{"role": m["role"], "content": m["content"]} for m in row["messages"]]})
        elif "conversations" in row:
            examples.append({"messages": [{"role": ROLES[m["from"]], "content": m["value"]} for m in row["conversations"]]})
        elif "instruction" in row:
            prompt = row["instruction"] + ("\n\n" + row["input"] if row.get("input") else "")
            examples.append({"messages": [{"role": "user", "content": prompt}, {"role": "assistant", "content": row["output"]}]})
        elif "text" in row:
            examples.append({"text": row["text"]})
        else:
            raise SystemExit(f"{path}:{number}: not a chat, alpaca, sharegpt or text example")
    return examples


def encode(tokenizer, example, max_length):
    """Token ids and labels: -100 everywhere except the assistant turns (found by rendering prefixes)."""
    if "text" in example:
        ids = tokenizer(example["text"], add_special_tokens=True)["input_ids"][:max_length]
        return ids, list(ids)
    if not tokenizer.chat_template:
        raise SystemExit("The base model has no chat template; chat examples cannot be rendered.")
    messages = example["messages"]
    full = tokenizer.apply_chat_template(messages, tokenize=False)
    spans = []
    for i, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        start = len(tokenizer.apply_chat_template(messages[:i], tokenize=False, add_generation_prompt=True))
        end = len(tokenizer.apply_chat_template(messages[:i + 1], tokenize=False))
        spans.append((start, end))
    encoded = tokenizer(full, add_special_tokens=False, return_offsets_mapping=True)
    ids = encoded["input_ids"][:max_length]
    labels = []
    for token, (a, b) in zip(ids, encoded["offset_mapping"][:max_length]):
        labels.append(token if any(a >= s and b <= e and b > a for s, e in spans) else -100)
    return ids, labels


def batches(encoded, batch_size, pad_id, rng):
    order = list(range(len(encoded)))
    rng.shuffle(order)
    for i in range(0, len(order), batch_size):
        rows = [encoded[j] for j in order[i:i + batch_size]]
        width = max(len(ids) for ids, _ in rows)
        ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
        labels = torch.full((len(rows), width), -100, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for r, (row_ids, row_labels) in enumerate(rows):
            ids[r, :len(row_ids)] = torch.tensor(row_ids)
            labels[r, :len(row_labels)] = torch.tensor(row_labels)
            mask[r, :len(row_ids)] = 1
        yield ids, labels, mask


def lr_factor(step, warmup, total, schedule):
    if warmup and step < warmup:
        return (step + 1) / warmup
    if schedule == "constant" or total <= warmup:
        return 1.0
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return 0.5 * (1 + math.cos(math.pi * progress)) if schedule == "cosine" else 1.0 - progress


def evaluate(model, encoded, batch_size, pad_id, device):
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for ids, labels, mask in batches(encoded, batch_size, pad_id, random.Random(0)):
            out = model(input_ids=ids.to(device), attention_mask=mask.to(device), labels=labels.to(device))
            n = int((labels[:, 1:] != -100).sum())
            total += float(out.loss) * n
            count += n
    model.train()
    return total / max(1, count)


def main():
    parser = argparse.ArgumentParser()
    for name in ("--config", "--model", "--train", "--output"):
        parser.add_argument(name, required=True)
    parser.add_argument("--validation")
    args = parser.parse_args()
    with open(args.config, encoding="utf-8") as f:
        cfg = json.load(f)
    lora = cfg.get("lora", {})

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if world > 1:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', '0'))}" if torch.cuda.is_available() else "cpu")
    seed = int(cfg.get("seed", 42))
    torch.manual_seed(seed)
    random.seed(seed)

    dtype = torch.bfloat16 if str(cfg.get("precision", "float32")).lower() == "bfloat16" else torch.float32
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=dtype).to(device)
    model = get_peft_model(model, LoraConfig(
        task_type="CAUSAL_LM", r=int(lora.get("rank", 8)), lora_alpha=float(lora.get("alpha", 16)),
        lora_dropout=float(lora.get("dropout", 0.0)), use_rslora=bool(lora.get("use_rs_lora", False)),
        target_modules=lora.get("target_modules", ["q_proj", "k_proj", "v_proj", "o_proj"]),
        layers_to_transform=lora.get("layers"), bias="none"))
    if rank == 0:
        model.print_trainable_parameters()
    trainable = [p for p in model.parameters() if p.requires_grad]
    ddp = torch.nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None) if world > 1 else model

    max_length = int(cfg.get("max_sequence_length", 512))
    train = [e for e in (encode(tokenizer, x, max_length) for x in read_examples(args.train)) if any(l != -100 for l in e[1][1:])]
    # Every rank must take the same number of steps (DDP synchronises each backward), so the remainder is dropped.
    train = train[:len(train) - len(train) % world][rank::world]
    valid = [encode(tokenizer, e, max_length) for e in read_examples(args.validation)] if args.validation else []
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (tokenizer.eos_token_id or 0)
    batch_size = int(cfg.get("batch_size", 4))
    accumulation = int(cfg.get("gradient_accumulation", 1))
    clip = cfg.get("max_gradient_norm", 1.0)
    stages = cfg.get("stages") or [{}]
    optimizer = torch.optim.AdamW(trainable, lr=float(cfg.get("learning_rate", 2e-4)),
                                  betas=(float(cfg.get("beta1", 0.9)), float(cfg.get("beta2", 0.999))),
                                  eps=float(cfg.get("epsilon", 1e-8)), weight_decay=float(cfg.get("weight_decay", 0.0)))
    os.makedirs(args.output, exist_ok=True)
    log = open(os.path.join(args.output, "metrics.jsonl"), "a", encoding="utf-8") if rank == 0 else None
    rng = random.Random(seed)
    step, tokens, started = 0, 0, time.time()
    for stage in stages:
        peak = float(stage.get("learning_rate") or cfg.get("learning_rate", 2e-4))
        epochs = int(stage.get("epochs") or cfg.get("epochs", 3))
        per_epoch = math.ceil(math.ceil(len(train) / batch_size) / accumulation)
        total = int(stage.get("max_steps") or cfg.get("max_steps") or per_epoch * epochs)
        warmup = int(stage.get("warmup_steps") if stage.get("warmup_steps") is not None else cfg.get("warmup_steps", 0))
        schedule = str(stage.get("schedule") or cfg.get("schedule", "linear")).lower()
        stage_step = 0
        while stage_step < total:
            micro = 0
            for ids, labels, mask in batches(train, batch_size, pad_id, rng):
                out = ddp(input_ids=ids.to(device), attention_mask=mask.to(device), labels=labels.to(device))
                loss = out.loss / accumulation
                if not torch.isfinite(loss):
                    raise SystemExit(f"The loss is not finite at step {step}; stopping.")
                loss.backward()
                tokens += int(mask.sum())
                micro += 1
                if micro % accumulation:
                    continue
                for group in optimizer.param_groups:
                    group["lr"] = peak * lr_factor(stage_step, warmup, total, schedule)
                if clip:
                    torch.nn.utils.clip_grad_norm_(trainable, float(clip))
                optimizer.step()
                optimizer.zero_grad(set_to_none=True)
                step += 1
                stage_step += 1
                if log:
                    log.write(json.dumps({"step": step, "epoch": step / max(1, per_epoch), "train_loss": float(out.loss.detach()),
                                          "val_loss": None, "lr": optimizer.param_groups[0]["lr"],
                                          "tokens_per_second": tokens / max(1e-9, time.time() - started),
                                          "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}) + "\n")
                if stage_step >= total:
                    break
    if valid and log:
        log.write(json.dumps({"step": step, "epoch": None, "train_loss": None,
                              "val_loss": evaluate(model, valid, batch_size, pad_id, device), "lr": None,
                              "tokens_per_second": None, "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}) + "\n")
    if rank == 0:
        model.save_pretrained(os.path.join(args.output, "adapter"))
        print(f"Saved the adapter to {os.path.join(args.output, 'adapter')} after {step} steps, {tokens} tokens.")
    if log:
        log.close()
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
