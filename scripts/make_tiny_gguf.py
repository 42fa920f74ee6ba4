#!/usr/bin/env python3
"""Write a tiny random-weight Llama GGUF that llama-server can load, for the inference tests.

Why: the tests need a *real* OpenAI-compatible server, but no model hub and no gigabytes. A two-layer
Llama with 64-wide embeddings and a byte-level BPE vocabulary trained here on a fixed paragraph is a
few hundred kilobytes, loads in milliseconds and generates (meaningless) tokens at CPU speed. Same
arguments, same bytes: the corpus, the trainer settings and the weight seed are all fixed.

Usage: scripts/make_tiny_gguf.py OUT.gguf
Needs the ``gguf`` and ``tokenizers`` packages (the test extra).
"""

from __future__ import annotations

import json
import os
import sys

CORPUS = """\
The KV cache keeps the keys and values of every token the model has already seen, so that decoding
the next token costs one step instead of a pass over the whole prompt. TensorRT-LLM stores it in
blocks of tokens; blocks live in a GPU pool, may be offloaded to a host pool, and reused when a new
request shares a prefix with an old one. Time to first token measures the prefill; the gaps between
tokens measure the decode. An exabyte of KV cache is a lot of blocks: 0123456789 + - * / = ( ) [ ] { }.
"""
SPECIALS = ("<s>", "</s>", "<|im_start|>", "<|im_end|>")
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
VOCAB_SIZE = 512
N_EMBD, N_HEAD, N_HEAD_KV, N_FF, N_LAYER, N_CTX = 64, 4, 2, 128, 2, 2048
SEED = 20240607


def train_vocab() -> tuple[list[str], list[int], list[str]]:
    """A byte-level BPE (GPT-2 style, which llama.cpp's ``gpt2`` tokenizer model decodes) trained on CORPUS."""
    os.environ.setdefault("RAYON_NUM_THREADS", "1")  # one thread: merges come out in one order
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        special_tokens=list(SPECIALS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(CORPUS.splitlines(), trainer=trainer)
    model = json.loads(tok.to_str())["model"]
    by_id = sorted(model["vocab"].items(), key=lambda kv: kv[1])
    tokens = [t for t, _ in by_id]
    types = [3 if t in SPECIALS else 1 for t in tokens]  # 3 = control, 1 = normal (llama_token_type)
    merges = [m if isinstance(m, str) else " ".join(m) for m in model["merges"]]
    return tokens, types, merges


def write(path: str) -> None:
    import gguf
    import numpy as np

    tokens, types, merges = train_vocab()
    rng = np.random.default_rng(SEED)

    def weight(*shape: int) -> "np.ndarray":
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    w = gguf.GGUFWriter(path, "llama")
    w.add_name("tfeic-tiny-llama")
    w.add_context_length(N_CTX)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(N_LAYER)
    w.add_feed_forward_length(N_FF)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD_KV)
    w.add_rope_dimension_count(N_EMBD // N_HEAD)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(len(tokens))
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_bos_token_id(tokens.index("<s>"))
    w.add_eos_token_id(tokens.index("<|im_end|>"))
    w.add_add_bos_token(False)
    w.add_chat_template(CHAT_TEMPLATE)

    # numpy shape (rows, cols) is GGUF (ne0=cols, ne1=rows): token_embd is [n_vocab][n_embd] as llama.cpp wants.
    head_dim = N_EMBD // N_HEAD
    w.add_tensor("token_embd.weight", weight(len(tokens), N_EMBD))
    for i in range(N_LAYER):
        w.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(N_EMBD, np.float32))
        w.add_tensor(f"blk.{i}.attn_q.weight", weight(N_EMBD, N_EMBD))
        w.add_tensor(f"blk.{i}.attn_k.weight", weight(N_HEAD_KV * head_dim, N_EMBD))
        w.add_tensor(f"blk.{i}.attn_v.weight", weight(N_HEAD_KV * head_dim, N_EMBD))
        w.add_tensor(f"blk.{i}.attn_output.weight", weight(N_EMBD, N_EMBD))
        w.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(N_EMBD, np.float32))
        w.add_tensor(f"blk.{i}.ffn_gate.weight", weight(N_FF, N_EMBD))
        w.add_tensor(f"blk.{i}.ffn_up.weight", weight(N_FF, N_EMBD))
        w.add_tensor(f"blk.{i}.ffn_down.weight", weight(N_EMBD, N_FF))
    w.add_tensor("output_norm.weight", np.ones(N_EMBD, np.float32))
    w.add_tensor("output.weight", weight(len(tokens), N_EMBD))

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: make_tiny_gguf.py OUT.gguf", file=sys.stderr)
        return 2
    write(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
