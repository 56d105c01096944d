"""Hostile text: long runs of blanks, number words, digits or qualifiers.

Each rule that backtracked across such a run (quadratic time, see benchmarks/bench_hostile.py for
the speed figures) is checked here for the behaviour its fix guarantees, without timing anything:
an expression starts at a word, and a run of repeated words is not swallowed whole.
"""
from __future__ import annotations

import re

from timeline.timexes import tag
from timeline.timexes.rules import _res


def _rule(name):
    return next(r for r in _res().rules if r.name == name)


def test_part_of_day_expression_starts_at_its_word_not_in_the_blanks_before_it():
    for lead in (" " * 50, "x\n\n\n   ", "\t" * 20):
        found = tag(lead + "morning of Monday", "2016-01-06")
        assert [(t.text, t.value) for t in found] == [("morning of Monday", "2016-01-04TMO")], lead
    assert tag("late morning of Monday", "2016-01-06")[0].text == "late morning of Monday"


def test_a_list_of_number_words_is_not_read_as_one_amount():
    for text in ("one " * 30 + "days ago", "one " * 30 + "day", "one-" * 30 + "day"):
        for t in tag(text, "2016-01-06"):
            assert len(re.findall(r"one", t.text)) <= 8, (t.text, t.rule)
    # a real spelled-out amount still is one expression
    assert [t.text for t in tag("two hundred and fifty three days ago", "2016-01-06")] == \
        ["two hundred and fifty three days ago"]


def test_a_run_of_qualifiers_is_not_read_as_one_quarter():
    for t in tag("last " * 30 + "quarter", "2016-01-06"):
        assert t.text.count("last") <= 7, t.text
    assert [t.text for t in tag("the latest comparable year-ago fiscal quarter", "2016-01-06")] == \
        ["the latest comparable year-ago fiscal quarter"]


def test_frequency_count_starts_at_a_word():
    regex = _rule("set:frequency").regex
    text = "1" * 50 + " times a day"
    assert regex.search(text, 10) is None  # not from inside the number
    assert regex.search(text).start() == 0
    assert [t.text for t in tag("three times a day", "2016-01-06")] == ["a day"]


def test_blank_line_article_and_single_line_article_keep_their_expressions():
    body = "The talks began on Monday, March 2, 2015. Two days ago the army said so."
    spaced = body.replace(" ", "\n\n\n") + "\n" * 5000
    found = {(t.value, t.type) for t in tag(spaced, "2015-03-10")}
    assert ("2015-03-02", "DATE") in found and ("2015-03-08", "DATE") in found


def test_a_lone_surrogate_in_the_text_does_not_stop_the_tagger():
    """A JSON ``\\ud800`` escape decodes to a lone surrogate, which no UTF encoding accepts."""
    text = "Talks \ud800 resumed on Monday and ended two days later." + " filler" * 200
    assert [(t.text, t.value) for t in tag(text, "2016-02-23")] == [("Monday", "2016-02-22"), ("two days", "P2D")]
