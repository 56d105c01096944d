"""Properties of ``tag`` that must hold for any text and any sane reference date."""
from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import timex3
from timeline.timexes import tag
from timeline.timexes.engine import _candidates

# Text built from temporal vocabulary, numbers and punctuation finds many expressions (and their
# edge cases: overlaps, stray periods, half-built dates); plain random text covers the rest.
WORDS = [
    "on", "in", "since", "last", "next", "this", "the", "a", "an", "early", "late", "mid-", "the end of",
    "Monday", "Tuesday", "Friday", "Sunday", "January", "May", "March", "Sept.", "Dec.", "June", "summer",
    "fall", "winter", "week", "weekend", "month", "year", "years", "days", "quarter", "third", "fourth",
    "ago", "earlier", "later", "today", "yesterday", "tomorrow", "tonight", "morning", "night", "now",
    "recently", "the past", "the future", "every", "each", "daily", "annually", "two", "twenty", "four",
    "several", "few", "more than", "almost", "about", "fiscal", "1998", "2014", "2016", "1990s", "'90s",
    "15", "31", "30", "2", "10:30", "p.m.", "a.m.", "noon", "1/2", "nineteen", "ninety-six", "century",
    "20th", ",", ".", ";", "-", "'s", "\n", "said", "will", "would", "was", "payable", "by", "until",
    "year-earlier", "period", "half", "couple of", "hours", "2015-02-30", "12/17/2014", "%", "percent",
    "for", "of", "ended", "that", "Christmas", "Easter", "week", "Fridays", "nights", "profit", "Quarter",
    "first", "ago", "past", "coming", "recent", "overnight", "midnight", "Thanksgiving", "decade", "'s",
]
texts = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join),
    st.text(max_size=200),
)
dcts = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
                 st.dates(min_value=date(100, 1, 1), max_value=date(9899, 12, 31)))


@settings(max_examples=200, deadline=None)
@given(text=texts, dct=dcts)
def test_tag_is_well_behaved(text, dct):
    result = tag(text, dct)
    previous_end = 0
    for t in sorted(result, key=lambda t: t.start):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start:t.end] == t.text
        assert t.start >= previous_end, "spans overlap"
        previous_end = t.end
        assert t.type in ("DATE", "TIME", "DURATION", "SET")
        assert timex3.is_valid_value(t.value), t.value
        assert t.rule
        if t.first_day is not None or t.last_day is not None:
            assert t.first_day is not None and t.last_day is not None
            assert t.first_day <= t.last_day
        if dct is None:
            # relative expressions stay underspecified: "XXXX-WXX", or "XXX" / "XX" for a decade / century
            assert "XX" in t.value or t.value[:1].isdigit() or t.value.startswith("P") or t.value.endswith("_REF")


@settings(max_examples=200, deadline=None)
@given(text=texts, dct=dcts)
def test_tag_is_deterministic_and_dct_forms_agree(text, dct):
    first = tag(text, dct)
    assert tag(text, dct) == first
    if dct is not None:
        assert tag(text, dct.isoformat()) == first


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(1901, 1, 1), max_value=date(2098, 12, 31)),
       unit=st.sampled_from(["D", "W", "WE", "M", "Q", "Y", "DE", "CE"]))
def test_value_for_covers_its_day(day, unit):
    value = timex3.value_for(day, unit)
    assert timex3.is_valid_value(value)
    first, last = timex3.interval(value)
    if unit == "WE":  # the weekend of the day's ISO week
        assert first.isocalendar()[:2] == day.isocalendar()[:2] and (last - first).days == 1
    else:
        assert first <= day <= last


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_rule_triggers_only_skip_rules_that_cannot_match(text):
    """The word-trigger shortcut must never change which candidates are found."""
    def key(cands):
        return sorted((c.start, c.end, c.rule.name) for c in cands)
    assert key(_candidates(text)) == key(_candidates(text, use_triggers=False))


# Prose without temporal words: long texts where the expressions are far apart, so each rule is run
# only on the windows around its trigger words (timexes.engine.TRIGGER_REACH) instead of the whole text.
FILLER = ("the delegation met officials of the ministry and spoke with reporters about the proposal, "
          "which critics said would not change the situation on the ground for residents there")
long_texts = st.lists(st.one_of(st.sampled_from(WORDS), st.just(FILLER), st.just(" " * 40), st.just(" " * 400),
                                st.just("\n\n\n")),
                      min_size=40, max_size=160).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(text=long_texts)
def test_trigger_windows_find_what_a_whole_text_scan_finds(text):
    """Scanning only the stretches around trigger words gives exactly the whole-text candidates."""
    def key(cands):
        return sorted((c.start, c.end, c.rule.name, c.match.span()) for c in cands)
    assert key(_candidates(text)) == key(_candidates(text, use_triggers=False))


def test_trigger_windows_are_used_on_a_long_article():
    from timeline.timexes import engine, rules

    text = (FILLER + ". ") * 40 + "It began on Monday, March 3, 2015, two days after the vote. " + (FILLER + ". ") * 40
    where = engine._trigger_positions(text)
    rule = next(r for r in rules._res().rules if r.name == "date:month-day-year")
    windows = engine._rule_windows(where, rule.triggers, len(text))
    assert sum(b - a for a, b in windows) < len(text) // 10  # the windowed path, not a whole scan
    found = {(t.text, t.value) for t in tag(text, "2015-03-05")}
    assert ("Monday, March 3, 2015", "2015-03-03") in found and ("two days", "P2D") in found


def test_a_long_run_of_blanks_inside_an_expression_does_not_cut_it():
    """Blanks do not count towards the trigger reach (hypothesis found this one)."""
    text = "on " * 32 + FILLER + " last" + " " * 200 + "Thanksgiving"
    assert [c.match.span() for c in _candidates(text) if c.rule.name == "date:holiday"] == \
        [c.match.span() for c in _candidates(text, use_triggers=False) if c.rule.name == "date:holiday"]
    assert [t.text.split() for t in tag(text, "2016-01-01")] == [["last", "Thanksgiving"]]
