"""The default generator: a local causal LM (``timeline.models``) answering chats greedily, in batches."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence

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
    """Greedy batched generation with a local causal LM, loaded on first use.

    ``done`` (optional, per call) says when an answer is complete before the token budget: a row
    whose decoded text satisfies it stops (the batch stops when every row has), so a one-sentence
    answer does not run on into a second sentence that is thrown away. Rows are independent in a
    batch, so the rows that go on get exactly the tokens they would have got without it.
    """

    #: The Summarizer passes ``done`` (and names it in the cache key) only to generators that say so.
    stops_early = True

    def __init__(self, model: str = "default", *, cache_dir: Path | None = None, dtype: str | None = None,
                 threads: int | None = None):
        self.model_name = model
        self.cache_dir = cache_dir
        self.dtype = dtype
        self.threads = threads
        self._loaded = None
        self.decode_steps = 0  # generate steps run so far, summed over calls (one step = one token per row)

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

    def __call__(self, chats: Sequence[Messages], max_new_tokens: int, *,
                 done: Callable[[str], bool] | None = None) -> list[str]:
        import torch
        from transformers import GenerationConfig, StoppingCriteriaList

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
        prompt_length = encoded["input_ids"].shape[1]
        criteria = StoppingCriteriaList([_Done(done, tokenizer, prompt_length)]) if done is not None else None
        torch.manual_seed(0)
        with torch.inference_mode():
            output = model.generate(**encoded, generation_config=config, stopping_criteria=criteria)
        new = output[:, prompt_length:]
        self.decode_steps += new.shape[1]
        return [tokenizer.decode(row, skip_special_tokens=True) for row in new]


class _Done:
    """A stopping criterion: per row, has the text generated so far satisfied ``done``?

    Rows already finished (end of text, or ``done`` earlier) are not decoded again; what generate
    appends to them afterwards is padding, which ``skip_special_tokens`` drops.
    """

    def __init__(self, done: Callable[[str], bool], tokenizer, prompt_length: int):
        self.done, self.tokenizer, self.prompt_length = done, tokenizer, prompt_length
        self.finished: set[int] = set()

    def __call__(self, input_ids, scores, **kwargs):
        import torch

        flags = torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)
        for row in range(input_ids.shape[0]):
            if row not in self.finished:
                text = self.tokenizer.decode(input_ids[row, self.prompt_length:], skip_special_tokens=True)
                if self.done(text):
                    self.finished.add(row)
            flags[row] = row in self.finished
        return flags


