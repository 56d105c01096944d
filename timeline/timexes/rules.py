"""Rules and word tables of the temporal tagger, compiled once per process.

``resources/timex_words.toml`` (word tables, which also become ``{MACRO}`` alternations) and
``resources/timex_rules.toml`` (named patterns) are read here; each rule's ``resolve`` must be a key of
``resolvers.RESOLVERS``, checked when the rules are loaded.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def _load_toml(name: str) -> dict:
    return tomllib.loads(resources.files("timeline.resources").joinpath(name).read_text(encoding="utf-8"))


def _alternation(keys) -> str:
    parts = []
    for key in sorted(keys, key=lambda k: (-len(k), k)):
        parts.append(r"\s+".join(re.escape(word) for word in key.split()))
    return "(?:" + "|".join(parts) + ")"


_MACRO = re.compile(r"\{([A-Z][A-Z_]*)\}")


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for _ in range(10):
        new = _MACRO.sub(lambda m: macros[m.group(1)] if m.group(1) in macros else m.group(0), pattern)
        if new == pattern:
            return new
        pattern = new
    raise ValueError(f"macro expansion does not terminate: {pattern[:80]}")


@dataclass(frozen=True)
class _Rule:
    name: str
    regex: re.Pattern
    resolve: str
    priority: int
    params: dict
    capital: tuple[str, ...]
    needs: re.Pattern | None
    reject_before: re.Pattern | None
    reject_after: re.Pattern | None
    order: int
    triggers: frozenset[str] | None  # None: always tried


class _Resources:
    """Word tables and compiled rules, built once per process."""

    def __init__(self) -> None:
        words = _load_toml("timex_words.toml")
        spec = _load_toml("timex_rules.toml")
        self.words = words
        macros: dict[str, str] = {}
        for table, entries in words.items():
            if isinstance(entries, dict) and all(not isinstance(v, (list, dict)) for v in entries.values()):
                macros[table.upper()] = _alternation(entries)
        for name, pattern in spec.get("macros", {}).items():
            macros[name] = pattern
        self.macros = macros

        def compile_opt(pattern: str | None, flags: int = re.IGNORECASE) -> re.Pattern | None:
            return re.compile(_expand(pattern, macros), flags) if pattern else None

        rules = []
        names = set()
        for order, raw in enumerate(spec["rule"]):
            if raw["name"] in names:
                raise ValueError(f"timex_rules.toml: duplicate rule name {raw['name']!r}")
            names.add(raw["name"])
            try:
                regex = re.compile(_expand(raw["pattern"], macros), re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"timex_rules.toml: rule {raw['name']!r} has a bad pattern: {exc}") from exc
            params = dict(raw.get("params", {}))
            triggers = None
            if "triggers" in raw:
                words_needed: set[str] = set()
                for item in raw["triggers"]:
                    if item.startswith("@"):
                        for key in words[item[1:]]:
                            words_needed.update(re.findall(r"[a-z]+", key.lower()))
                    else:
                        words_needed.add(item)
                triggers = frozenset(words_needed)
            if "signal" in params:
                params["signal"] = re.compile(params["signal"])
            for key in [k for k in params if k.endswith("_pattern")]:
                params[key] = re.compile(_expand(params[key], macros), re.IGNORECASE)
            rules.append(_Rule(
                name=raw["name"], regex=regex, resolve=raw["resolve"], priority=int(raw.get("priority", 50)),
                params=params, capital=tuple(raw.get("capital", ())),
                needs=compile_opt(raw.get("needs")), reject_before=compile_opt(raw.get("reject_before")),
                reject_after=compile_opt(raw.get("reject_after")), order=order, triggers=triggers,
            ))
        from .resolvers import RESOLVERS  # not at the top: the resolver modules import this one
        unknown = sorted({r.resolve for r in rules} - set(RESOLVERS))
        if unknown:
            raise ValueError(f"timex_rules.toml: unknown resolver(s) {unknown}")
        self.rules = tuple(rules)
        self.rejects = tuple(re.compile(_expand(r["pattern"], macros)) for r in spec.get("reject", ()))

        tense = words["tense"]
        self.not_past_ed = frozenset(tense["not_past_ed"])
        self.not_verb_past = frozenset(tense["not_verb_past"])
        self.future_before_only = frozenset(tense["future_before_only"])
        future = _alternation(tense["future"])
        past = _alternation(tense["past"])
        self.tense_regex = re.compile(
            rf"(?<![\w'’])(?:(?P<future>{future})|(?P<past>{past})|(?P<ed>[a-z]{{2,}}ed))(?![\w'’])", re.IGNORECASE)
        self.forward_signal = re.compile(
            r"(?<![\w'’])" + _alternation(tense["forward_signals"]) + r"\s+(?:the\s+|on\s+)?$", re.IGNORECASE)
        self.forward_after = re.compile(r"\s+" + _alternation(tense["forward_after"]) + r"(?!\w)", re.IGNORECASE)
        self.present_schedule = re.compile(
            r"(?<![\w'’])" + _alternation(tense["present_schedule"]) + r"(?![\w'’])", re.IGNORECASE)
        self.reporting_before = re.compile(
            r"(?<![\w'’])" + _alternation(tense["reporting"]) + r"\s+(?:on\s+)?$", re.IGNORECASE)
        guards = words["guards"]
        self.fiscal_context = frozenset(guards["fiscal_context"])
        self.year_not_before = re.compile(
            r"^\s*" + _alternation(guards["year_not_before"]) + r"(?!\w)", re.IGNORECASE)
        self.year_not_after = re.compile(_alternation(guards["year_not_after"]) + r"\s*$", re.IGNORECASE)

    def lookup(self, table: str, text: str):
        return self.words[table].get(re.sub(r"\s+", " ", text.lower().strip()))


@lru_cache(maxsize=1)
def _res() -> _Resources:
    return _Resources()


def word_table(name: str) -> dict:
    """One word table of ``timex_words.toml`` ("month", "weekday", ...): lower-case word -> value."""
    return dict(_res().words[name])


def rule_names() -> list[str]:
    """Names of all rules, in file order (for docs and provenance checks)."""
    return [r.name for r in _res().rules]
