"""The TimelineJS exports (timelinejs.json and the sheet-template timelinejs.csv) in TimelineJS3 itself,
in a real headless Chromium.

TimelineJS3 comes from npm (``@knight-lab/timelinejs``) and is not vendored: ``.ci/run`` installs it
into a cache folder and sets ``TIMELINEJS_DIR`` to the package folder (the one holding
``dist/js/timeline.js``). Without it, or without Chromium, these tests skip with the reason.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from timeline import exports
from timeline.frames import article_titles
from timeline.pipeline import build_timeline

import _browser

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<link rel="stylesheet" href="tljs/css/timeline.css">
<script src="tljs/js/timeline.js"></script>
</head><body>
<div id="timeline-embed" style="width: 1200px; height: 700px"></div>
<script>
window.tlReady = false;
window.tlTimeline = new TL.Timeline("timeline-embed", "DATA", {script_path: new URL("tljs/js/", location.href).href, timenav_height_percentage: 40,
    font: "georgia-helvetica"});  // a system-font theme: the default one fetches web fonts
window.tlTimeline.on("ready", () => { window.tlReady = true; });
</script></body></html>
"""

RESULT = """(() => {
    const slides = Array.from(document.querySelectorAll('.tl-slide'));
    const coloured = slides.filter(s => s.classList.contains('tl-full-color-background'));
    return {
        events: window.tlTimeline.config.events.length,
        markers: document.querySelectorAll('.tl-timemarker').length,
        marker_headlines: Array.from(document.querySelectorAll('.tl-timemarker .tl-headline'))
                               .map(h => h.textContent.trim()),
        slides: slides.length,
        coloured: coloured.length,
        headline_colours: coloured.map(s => getComputedStyle(s.querySelector('.tl-headline')).color),
        slide_texts: slides.map(s => (s.querySelector('.tl-text-content') || {}).textContent || ''),
        messages: Array.from(document.querySelectorAll('.tl-message-content')).map(m => m.textContent.trim())
                       .filter(t => t),
        groups: document.querySelectorAll('.tl-timegroup').length,
    };
})()"""


def _timelinejs_dist() -> Path:
    given = os.environ.get("TIMELINEJS_DIR")
    if not given:
        pytest.skip("TIMELINEJS_DIR is not set (npm install @knight-lab/timelinejs into a cache folder; .ci/run does)")
    dist = Path(given) / "dist"
    if not (dist / "js" / "timeline.js").is_file():
        pytest.skip(f"TIMELINEJS_DIR={given} holds no dist/js/timeline.js")
    return dist


@pytest.fixture(scope="module")
def result():
    return build_timeline(SEEDS, model=None)


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_timelinejs_export_renders_every_event(result, tmp_path, kind):
    dist = _timelinejs_dist()
    _browser.require_chromium()
    titles = article_titles(result.corpus.articles)
    if kind == "json":
        data = exports.write_timelinejs(tmp_path / "timelinejs.json", result.entries, titles=titles)
    else:
        data = exports.write_timelinejs_csv(tmp_path / "timelinejs.csv", result.entries, titles=titles)
    (tmp_path / "tljs").symlink_to(dist, target_is_directory=True)
    (tmp_path / "index.html").write_text(PAGE.replace("DATA", data.name), encoding="utf-8")
    doc = exports.timelinejs_document(result.entries, titles=titles)

    with _browser.serve(tmp_path) as base:
        report = _browser.open_page(f"{base}/index.html", ready="window.tlReady === true", result=RESULT,
                                    settle=1.5)
    assert report.problems == [], report.problems
    assert all(u.startswith((base, "data:", "about:")) for u in report.requests), report.requests
    seen = report.value
    assert seen["messages"] == []  # TimelineJS shows config errors as messages
    n = len(result.entries)
    assert seen["events"] == seen["markers"] == n
    assert seen["slides"] == n + 1  # the title slide and one slide per entry
    import html

    expected = sorted(html.unescape(e["text"]["headline"]) for e in doc["events"])
    assert sorted(seen["marker_headlines"]) == expected
    # every entry's slide is coloured, and TimelineJS writes white text on it
    assert seen["coloured"] == n
    assert set(seen["headline_colours"]) == {"rgb(255, 255, 255)"}
    joined = " ".join(seen["slide_texts"])
    for name in set(titles.values()):
        assert name in joined  # sources by headline
    assert not any(article_id in joined for article_id in titles)
    assert seen["groups"] == len({e["group"] for e in doc["events"]})
