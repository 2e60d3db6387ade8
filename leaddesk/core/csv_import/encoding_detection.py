"""A file's text encoding: detecting it from the first bytes, and decoding without failing.

Owns the byte-order marks, the signatures of binary files that are no CSV, the
cp1252-versus-UTF-8 guess (charset-normalizer decides the unsure cases) and the
codec error handlers that read stray bytes instead of failing an import half-way.
"""

from __future__ import annotations

import codecs
import re

from leaddesk.core.csv_import.file_errors import UnusableFileError

_UTF8_FALLBACK = "leaddesk-utf8-fallback"
_CP1252_FALLBACK = "leaddesk-cp1252-fallback"


def _decode_undefined_cp1252(error: UnicodeError) -> tuple[str, int]:
    # cp1252 leaves five bytes undefined; browsers (WHATWG) decode them as the C1
    # controls latin-1 gives them, so the file still reads and the bytes survive.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


def _decode_stray_bytes_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    # A file that is UTF-8 for its first 64 KiB can still hold a Windows-1252 name
    # further down (files pasted together from two exports): read those bytes as
    # cp1252 instead of failing the import half-way or writing U+FFFD into names.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    stray = error.object[error.start : error.end]
    return stray.decode("cp1252", errors=_CP1252_FALLBACK), error.end


codecs.register_error(_CP1252_FALLBACK, _decode_undefined_cp1252)
codecs.register_error(_UTF8_FALLBACK, _decode_stray_bytes_as_cp1252)


def error_handler(encoding: str) -> str:
    """The decoding error handler for ``encoding``: never fails on a stray byte."""
    name = codecs.lookup(encoding).name
    if name in ("utf-8", "utf-8-sig"):
        return _UTF8_FALLBACK
    if name == "cp1252":
        return _CP1252_FALLBACK
    return "replace"


# --- encoding detection ------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def starts_with_bom(head: bytes) -> bool:
    """Whether ``head`` starts with a Unicode byte-order mark."""
    return any(head.startswith(bom) for bom, _ in _BOMS)


_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
    (b"\x89PNG", "binary"),
    (b"%PDF", "binary"),
    (b"\xff\xd8\xff", "binary"),
    (b"GIF8", "binary"),
    (b"\x1f\x8b", "binary"),
    (b"SQLite format 3\x00", "binary"),
    (b"\x7fELF", "binary"),
)

BINARY_FILE = "This looks like a binary file, not a CSV export."
"""Why a file that is not text at all cannot be imported."""

_BINARY_MESSAGES = {
    "zip": "This looks like a ZIP archive or an Excel workbook; save it as CSV first.",
    "xls": "This looks like an Excel workbook; save it as CSV first.",
    "binary": BINARY_FILE,
}

# Characters that occur in Western text read as cp1252 besides letters; anything
# else, or runs of three or more non-ASCII letters (typical of Cyrillic or Greek
# bytes read as cp1252), means the guess is unsure and charset-normalizer decides.
_WESTERN_SYMBOLS = frozenset("€£¥¢©®°±§¶·«»–—‘’‚“”„†‡•…‰‹›×÷¤¦¨ª¬¯²³´µ¸¹º¼½¾¿¡\u00a0")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _binary_kind(head: bytes) -> str | None:
    for signature, kind in _BINARY_SIGNATURES:
        if head.startswith(signature):
            if kind == "zip" and b"xl/" not in head and b"[Content_Types]" not in head:
                return "binary"
            return kind
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    # Text with mostly ASCII characters in UTF-16 has a NUL in every other byte.
    pairs = len(head) // 2
    if pairs < 2:
        return None
    nul_at_even = head[0 : pairs * 2 : 2].count(0)
    nul_at_odd = head[1 : pairs * 2 : 2].count(0)
    if nul_at_odd > pairs * 0.4 and nul_at_even < pairs * 0.05:
        return "utf-16-le"
    if nul_at_even > pairs * 0.4 and nul_at_odd < pairs * 0.05:
        return "utf-16-be"
    return None


def _is_plausible_cp1252(head: bytes) -> bool:
    text = head.decode("cp1252", errors=_CP1252_FALLBACK)
    for run in _NON_ASCII_RUN.findall(text):
        if len(run) >= 3 and run.isalpha():
            return False
        if any(not char.isalpha() and char not in _WESTERN_SYMBOLS for char in run):
            return False
    return True


def _guess_with_charset_normalizer(head: bytes) -> str:
    from charset_normalizer import from_bytes  # slow to import; needed for few files

    best = from_bytes(head).best()
    if best is None:
        return "cp1252"
    try:
        name = codecs.lookup(best.encoding).name
    except LookupError:
        return "cp1252"
    # Latin-1 and its cousins are strict subsets of what cp1252 reads well.
    if name in ("latin-1", "iso8859-1", "iso8859-15", "ascii"):
        return "cp1252"
    return name


def detect_encoding(head: bytes, is_whole_file: bool) -> tuple[str, bool]:
    """The codec for ``head`` and whether the file starts with a byte-order mark."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, True
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16, False
    kind = _binary_kind(head)
    # A few stray NULs in a text file are removed from its cells on import; many
    # (over 1% of the bytes, and more than a broken export leaves) mean binary.
    if kind is not None or head.count(0) > max(8, len(head) // 100):
        raise UnusableFileError(_BINARY_MESSAGES[kind or "binary"])
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=is_whole_file)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", False
    if _is_plausible_cp1252(head):
        return "cp1252", False
    return _guess_with_charset_normalizer(head), False
