"""Temporal tagger: find TIMEX3 expressions in English news text and resolve them against a date.

Why our own engine: news needs tense- and context-aware resolution ("Tuesday" in a past-tense report
is the latest Tuesday on or before the reference date; "next week" moves forward; a year stated in the
same sentence anchors a yearless month) and TimeML extents ("Tuesday", not "on Tuesday"), which a
generic date parser does not give. The rules are data (``resources/timex_words.toml`` word tables and
``resources/timex_rules.toml`` patterns, each rule named); this package compiles them once and applies
them. ``dateparser`` parses the absolute dates a rule has already found (cached).

Public API: ``tag(text, dct=None) -> list[Timex]``.

Modules: ``rules`` (loading and compiling the rules), ``context`` (per-call state: reference date,
sentences, tense, anchors), ``resolvers`` (one module per family of rules: how a match becomes a
value), ``engine`` (candidates, selection, ``tag``).
"""
from __future__ import annotations

from .context import DCT_YEARS
from .engine import tag
from .rules import rule_names

__all__ = ["tag", "rule_names"]
