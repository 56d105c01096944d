"""Writing figures: PNG and SVG bytes that depend only on the figure (no timestamps, no software
stamp, fixed SVG hash salt, no bytes XML cannot carry), written atomically.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure


#: Resolution of the PNG files; the SVGs are resolution-free.
DPI = 110
#: Fixed salt for the ids matplotlib writes into SVGs (otherwise random per run).
SVG_HASH_SALT = "timeline-figures"


def save_figure(fig: Figure, path_stem: str | Path) -> list[Path]:
    """Write ``<stem>.png`` and ``<stem>.svg`` with bytes that depend only on the figure."""
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    png = stem.parent / f"{stem.name}.png"
    svg = stem.parent / f"{stem.name}.svg"
    from ..exports import clean_text
    from ..publish import atomic_write_bytes

    for artist in fig.findobj(matplotlib.text.Text):  # a control character makes the SVG invalid XML
        if _has_control(artist.get_text()):
            artist.set_text(clean_text(artist.get_text()))
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT, "svg.fonttype": "path"}):
        for path, fmt, metadata in ((png, "png", {"Software": None}), (svg, "svg", {"Date": None})):
            buffer = io.BytesIO()  # rendered whole, then written atomically: never a truncated file
            fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
            data = buffer.getvalue()
            if fmt == "svg":  # tick labels are re-made from their formatters at each save
                data = _XML_INVALID_BYTES.sub(b"", data)
            atomic_write_bytes(path, data)
    return [png, svg]


# bytes XML 1.0 cannot carry (matplotlib copies label text into SVG comments and ids as it is)
_XML_INVALID_BYTES = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _has_control(text: str) -> bool:
    return any(ord(c) < 32 and c not in "\t\n" or 0x7f <= ord(c) <= 0x9f for c in text)


def figure_png(fig: Figure) -> bytes:
    """The PNG bytes ``save_figure`` would write, for showing a figure inline without pyplot
    (``IPython.display.Image(figure_png(fig))``)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
