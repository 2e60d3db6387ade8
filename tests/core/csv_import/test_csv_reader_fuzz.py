"""Fuzzing the CSV reader: any bytes end in records or in its one-sentence refusal.

And a well-formed file (what ``csv.writer`` writes, in any delimiter, quoting and
line end) reads back as exactly the rows written.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaddesk.core.csv_import.file_errors import UnusableFileError
from leaddesk.core.csv_import.reader import DELIMITERS, CsvFormat, iter_records, sniff

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1", "utf-32")
LINE_ENDS = ("\r\n", "\n", "\r")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_all(data: bytes, **overrides: str) -> list[tuple[int, list[str]]]:
    """Everything the reader makes of ``data``: records, or UnusableFileError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        fmt = sniff(path, **overrides)  # type: ignore[arg-type]
        assert all(isinstance(header, str) for header in fmt.headers)
        torn: list[tuple[int, list[str]]] = []
        records = list(iter_records(path, fmt, lambda line, cells: torn.append((line, cells))))
        assert len(torn) <= 1
        return records + torn


def _reads_or_refuses(data: bytes, **overrides: str) -> None:
    try:
        records = _read_all(data, **overrides)
    except UnusableFileError as error:
        message = str(error)
        assert message.endswith(".")
        assert "\n" not in message
        return
    for line, cells in records:
        assert line >= 1
        assert all(isinstance(cell, str) for cell in cells)


# Bytes that make CSV: separators, quotes, line ends, NULs, text and stray high bytes.
_CSV_BYTES = st.lists(
    st.sampled_from([b",", b";", b"\t", b"|", b'"', b"\r", b"\n", b"\x00", b"a", b"Name", b"\xe9"])
    | st.binary(max_size=8),
    max_size=80,
).map(b"".join)


@FUZZ
@given(data=st.binary(max_size=400) | _CSV_BYTES)
def test_any_bytes_are_read_or_refused_in_one_sentence(data: bytes) -> None:
    _reads_or_refuses(data)


@FUZZ
@given(
    text=st.text(
        st.characters(blacklist_categories=("Cs",)) | st.sampled_from(',;\t|"\r\n'), max_size=200
    ),
    encoding=st.sampled_from(ENCODINGS),
    read_as=st.none() | st.sampled_from(ENCODINGS),
    delimiter=st.none() | st.sampled_from(DELIMITERS),
)
def test_any_text_in_any_encoding_is_read_or_refused_in_one_sentence(
    text: str, encoding: str, read_as: str | None, delimiter: str | None
) -> None:
    overrides = {"encoding": read_as, "delimiter": delimiter}
    _reads_or_refuses(
        text.encode(encoding, errors="replace"),
        **{key: value for key, value in overrides.items() if value is not None},
    )


_CELLS = st.text(
    st.characters(blacklist_categories=("Cs",)) | st.sampled_from(",;\t|\"\r\n '="), max_size=20
)


@FUZZ
@given(
    rows=st.lists(st.lists(_CELLS, min_size=1, max_size=6), min_size=1, max_size=12),
    delimiter=st.sampled_from(DELIMITERS),
    line_end=st.sampled_from(LINE_ENDS),
    # csv.writer leaves a lone "\n" unquoted when lines end in "\r" (and the
    # reverse): well-formed files come from full quoting or "\r\n" line ends.
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    encoding=st.sampled_from(("utf-8", "utf-16", "utf-32")),
)
def test_what_csv_writer_writes_reads_back_exactly(
    rows: list[list[str]], delimiter: str, line_end: str, quoting: int, encoding: str
) -> None:
    if quoting == csv.QUOTE_MINIMAL:
        line_end = "\r\n"
    headers = [f"Column {index}" for index in range(6)]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end, quoting=quoting)
    writer.writerows([headers, *rows])
    fmt = CsvFormat(encoding, delimiter, header_line_number=1, headers=tuple(headers))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "written.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        read = [cells for _line, cells in iter_records(path, fmt)]
    # Records with no text at all are blank lines to the reader and are skipped.
    assert read == [row for row in rows if any(row)]
