"""The default generator: a local causal LM (``timeline.models``) answering chats greedily, in batches."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from .. import models

#: A chat: [{"role": "system"|"user", "content": str}, ...]
Messages = list[dict[str, str]]




def default_threads() -> int:
    """Threads for generation: ``$TIMELINE_THREADS``, else all cores on an idle machine, else 1.

    Why not always all cores: torch's OpenMP threads wait for each other at every operation, so when
    another process holds one of the two cores, two threads ran 5x SLOWER than one (decode step
    3.0 s vs 0.58 s, batch 8, measured on this machine with other jobs running); on an idle machine
    two threads are faster. Greedy outputs were identical with 1 and 2 threads in our checks.
    """
    env = os.environ.get("TIMELINE_THREADS")
    if env:
        return max(1, int(env))
    cores = len(os.sched_getaffinity(0))
    busy = os.getloadavg()[0]
    return 1 if cores <= 1 or busy >= cores - 0.5 else cores


class ChatGenerator:
    """Greedy batched generation with a local causal LM, loaded on first use."""

    def __init__(self, model: str = "default", *, cache_dir: Path | None = None, dtype: str | None = None,
                 threads: int | None = None):
        self.model_name = model
        self.cache_dir = cache_dir
        self.dtype = dtype
        self.threads = threads
        self._loaded = None

    @classmethod
    def wrap(cls, model, tokenizer, model_id: str) -> "ChatGenerator":
        """A generator around an already loaded model (benchmarks, notebooks)."""
        generator = cls(model_id)
        generator._loaded = (model, tokenizer, model_id)
        return generator

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    def load(self):
        if self._loaded is None:
            import torch

            torch.set_num_threads(self.threads or default_threads())
            self._loaded = models.load_causal_lm(self.model_name, cache_dir=self.cache_dir, dtype=self.dtype)
        return self._loaded

    def __call__(self, chats: Sequence[Messages], max_new_tokens: int) -> list[str]:
        import torch
        from transformers import GenerationConfig

        model, tokenizer, _ = self.load()
        texts = [tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
                 for chat in chats]
        tokenizer.padding_side = "left"  # generation continues from the right end of every row
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        configured = model.generation_config.eos_token_id
        configured = configured if isinstance(configured, list) else [configured]
        stop = sorted({i for i in (tokenizer.eos_token_id, *configured) if i is not None})
        config = GenerationConfig(max_new_tokens=max_new_tokens, do_sample=False, num_beams=1,
                                  pad_token_id=pad, eos_token_id=stop)
        encoded = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False)
        torch.manual_seed(0)
        with torch.inference_mode():
            output = model.generate(**encoded, generation_config=config)
        new = output[:, encoded["input_ids"].shape[1]:]
        return [tokenizer.decode(row, skip_special_tokens=True) for row in new]


