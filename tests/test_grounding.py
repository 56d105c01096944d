"""The entry prompt's structure lines from the seed event records (timeline.summaries.grounding)."""
from __future__ import annotations

from _seeds import seed_events

from timeline.records import SourceRef, TimelineEntry
from timeline.summaries import Summarizer
from timeline.summaries.grounding import from_event, happening, render


def _record(start: str, trigger: str | None = None):
    return next(e for e in seed_events() if e.sentence.startswith(start)
                and (e.trigger == trigger if trigger else e.role == "main"))


def test_a_record_gives_its_actor_object_and_status():
    e = _record("The elected parliament was never allowed")
    h = from_event(e)
    assert e.modality == "negated" and h.status == "negated"
    assert h.actor == e.actor and h.actor in e.sentence
    line = render(h)
    assert "status: negated" in line and '"never"' in line  # the record's status and the parse's words


def test_a_record_phrase_in_other_spacing_gives_way_to_the_parse():
    e = _record("Lawmaker Ali Al-Qaidi said a new session", trigger="held")
    assert e.attribution and e.attribution not in e.sentence  # the record's own spacing
    h = from_event(e)
    assert h.attribution == happening(e.sentence).attribution and h.attribution in e.sentence
    assert h.status == "planned"


def test_the_summarizer_prompts_with_the_records(tmp_path):
    e = _record("The elected parliament was never allowed")
    entry = TimelineEntry(date=e.value or "2016", start=e.first_day, end=e.last_day or e.first_day,
                          granularity=e.granularity or "year", places=e.places,
                          sources=(SourceRef(e.article, e.sentence, e.start, e.end, None, e.rule),), in_campaign=True)
    prompts = []

    def fake(chats, budget):
        prompts.extend(chat[-1]["content"] for chat in chats)
        return ["The elected parliament was never allowed to properly convene."] * len(chats)

    s = Summarizer("small", cache_path=tmp_path / "c.json", generator=fake, model_id="fake", progress=False)
    with_records = s.summarize_entries([entry], events=[e])
    assert "status: negated" in prompts[-1]
    without = Summarizer("small", cache_path=tmp_path / "d.json", generator=fake, model_id="fake", progress=False)
    without.summarize_entries([entry])
    assert "status:" not in prompts[-1]  # from the parse alone: no record status
    assert with_records[0].summary == "The elected parliament was never allowed to properly convene."
