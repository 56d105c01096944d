"""The shared text layer: a real spaCy parse of real text, cached on disk and rebuilt when damaged."""
from __future__ import annotations

from pathlib import Path

import pytest

from timeline import models, nlp

pytest.importorskip("spacy")
if models.installed_dir(models.spec("spacy")["module"]) is None:
    pytest.skip(f"spaCy weights not installed ({models.install_hint('spacy')})", allow_module_level=True)

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_ebd112a8c2509409.txt"


def test_parse_gives_sentences_parse_and_entities_of_a_seed_article():
    text = SEED.read_text(encoding="utf-8")
    doc = nlp.parse(text)
    assert doc.text == text
    sentences = list(doc.sents)
    assert len(sentences) > 5
    assert any(ent.label_ == "GPE" and ent.text == "Benghazi" for ent in doc.ents)
    roots = [s.root for s in sentences if s.root.pos_ in {"VERB", "AUX"}]
    assert roots, "every news article has sentences headed by a verb"


def test_the_reporting_verb_governs_the_reported_clause():
    doc = nlp.parse("The military said on Tuesday that its forces had retaken the port in June.")
    said = next(t for t in doc if t.text == "said")
    retaken = next(t for t in doc if t.text == "retaken")
    assert said.dep_ == "ROOT" and retaken.head == said
    assert next(t for t in doc if t.text == "June").head.head == retaken


def test_parses_are_cached_and_a_damaged_cache_file_is_rebuilt(tmp_path):
    text = "Forces loyal to the government seized the airport on Monday."
    first = nlp.parse(text, cache_dir=tmp_path)
    path = nlp.cache_file(text, tmp_path)
    assert path.is_file()
    again = nlp.parse(text, cache_dir=tmp_path)
    assert [(t.text, t.dep_, t.head.i) for t in again] == [(t.text, t.dep_, t.head.i) for t in first]
    path.write_bytes(b"not a docbin")
    rebuilt = nlp.parse(text, cache_dir=tmp_path)
    assert [t.text for t in rebuilt] == [t.text for t in first]
    assert path.read_bytes() != b"not a docbin"


def test_a_blank_line_starts_a_sentence_so_a_crosshead_stays_apart():
    """A wire story's crosshead ("- Budget row -") has no full stop; without the paragraph break the
    parser runs it into the next paragraph's sentence and makes its noun the subject."""
    text = ("The council met on Monday to discuss the city budget.\n\n- Budget row -\n\n"
            "The mayor has warned that the shortfall could close two hospitals.")
    doc = nlp.parse(text)
    starts = [s.text.strip() for s in doc.sents]
    assert any(s.startswith("The mayor has warned") for s in starts), starts
    warned = next(t for t in doc if t.text == "warned")
    assert warned.sent.root == warned
    assert not any("row" in s and "mayor" in s for s in starts)
    assert nlp.parse("The council met on Monday.\nIt voted later.").sents  # one newline: no rule
