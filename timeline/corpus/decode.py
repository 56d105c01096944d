"""One text decoder for every article file, shared by ``load_corpus`` and ``python -m timeline tag``.

Both read a file's bytes through :func:`decode_bytes`, so they accept and refuse the same files and
give the same offsets: a UTF-8 byte-order mark is dropped by both; UTF-16 / UTF-32 (with a BOM, or
UTF-16 without one, recognised by its pattern of zero bytes) is decoded rather than called binary;
a file with NUL bytes that is not UTF-16 is refused by both; CR-only line endings (old Mac files)
become LF one character for one, so every offset still points at the same character.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_OK = frozenset("\n\r\t\f\v")


@dataclass(frozen=True)
class Decoded:
    """The text of a file, or why there is none; ``notes`` say what was done to read it."""

    text: str | None
    problem: str | None = None
    encoding: str | None = None
    notes: tuple[str, ...] = ()


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes look like UTF-16 text without a BOM, else None.

    Latin-script UTF-16 has a zero byte in most code units, always on the same side; binary data
    has its zeros anywhere. Decoding must then give text without NUL or other control characters.
    """
    if len(data) < 2 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    units = len(data) // 2
    zero_even, zero_odd = even.count(0), odd.count(0)
    for encoding, zeros, other in (("utf-16-le", zero_odd, zero_even), ("utf-16-be", zero_even, zero_odd)):
        if zeros >= 0.3 * units and other <= 0.01 * units:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not any(ch == "\x00" or (ord(ch) < 32 and ch not in _CONTROL_OK) for ch in text):
                return encoding
    return None


def normalize_newlines(text: str) -> tuple[str, int]:
    """CR-only line breaks turned into LF (same length, offsets unchanged); CRLF left as it is."""
    count = 0
    if "\r" not in text:
        return text, 0
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch == "\r" and (i + 1 == len(chars) or chars[i + 1] != "\n"):
            chars[i] = "\n"
            count += 1
    return ("".join(chars), count) if count else (text, 0)


def decode_bytes(data: bytes) -> Decoded:
    """Decode an article file: :class:`Decoded` with the text, or with the problem that stops it."""
    if not data:
        return Decoded(None, "empty file (0 bytes)")
    notes: list[str] = []
    encoding = None
    body = data
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, body = name, data[len(bom):]
            if name != "utf-8":
                notes.append(f"decoded as {name.upper()} (byte-order mark)")
            break
    if encoding is None and b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            first_nul = data.index(b"\x00")
            return Decoded(None, f"binary file (contains NUL bytes, first at offset {first_nul}), not a text article; "
                                 "if it is text, save it as UTF-8")
        notes.append(f"decoded as {encoding.upper()} (no byte-order mark; recognised by its zero bytes)")
    encoding = encoding or "utf-8"
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(data) - len(body))
        return Decoded(None, f"not valid {encoding.upper()} (byte 0x{data[offset]:02x} at offset {offset}); "
                             "re-save the file as UTF-8")
    if "\x00" in text:
        return Decoded(None, f"text contains NUL characters (first at character {text.index(chr(0))}); "
                             "not a text article")
    text, crs = normalize_newlines(text)
    if crs:
        notes.append(f"{crs} CR-only line breaks read as line breaks (LF)")
    if not text.strip():
        return Decoded(None, "empty file (whitespace only)")
    return Decoded(text, None, encoding, tuple(notes))
