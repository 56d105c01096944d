"""The anchoring evaluation: classes, intervals, ordering, and a real run on the SemEval-2015 trial data."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from timeline.evaluate import anchoring

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "semeval2015-trial"


def test_gold_values_become_calendar_intervals():
    assert anchoring.gold_interval("2008-06-09") == (date(2008, 6, 9), date(2008, 6, 9))
    assert anchoring.gold_interval("2008-06-XX") == (date(2008, 6, 1), date(2008, 6, 30))
    assert anchoring.gold_interval("1968-XX-XX") == anchoring.gold_interval("1968") == (date(1968, 1, 1), date(1968, 12, 31))
    assert anchoring.gold_interval("XXXX-XX-XX") is None and anchoring.gold_interval("XXX-XX-XX") is None


def test_classes_exact_compatible_wrong_undated():
    june = (date(2008, 6, 1), date(2008, 6, 30))
    day = (date(2008, 6, 9), date(2008, 6, 9))
    assert anchoring.classify(june, june) == "exact"
    assert anchoring.classify(june, day) == "compatible" and anchoring.classify(day, june) == "compatible"
    assert anchoring.classify(day, (date(2008, 6, 10), date(2008, 6, 10))) == "wrong"
    assert anchoring.classify(day, None) == "undated"


def test_order_of_intervals():
    a, b = (date(2008, 1, 1), date(2008, 1, 1)), (date(2008, 2, 1), date(2008, 2, 29))
    assert anchoring.before(a, b) and not anchoring.before(b, a)
    assert not anchoring.before(a, a)


@pytest.mark.skipif(not DATA.is_dir(), reason=f"SemEval-2015 trial data not found at {DATA}")
def test_the_project_beats_both_baselines_on_the_trial_corpus():
    report = anchoring.evaluate(DATA)
    systems = report["systems"]
    assert report["mentions"] > 100
    for name in ("project", "publication", "first-timex"):
        s = systems[name]
        assert s["exact"] + s["compatible"] + s["wrong"] + s["undated"] == report["mentions"]
    best = max(systems["publication"]["accuracy"], systems["first-timex"]["accuracy"])
    assert systems["project"]["accuracy"] >= best + 0.15
    assert systems["project"]["ordering_agreement"] >= 0.90
