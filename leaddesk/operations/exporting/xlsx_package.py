"""A minimal SpreadsheetML (.xlsx) writer: one sheet of typed cells, streamed a chunk at a time.

Part of the export (leaddesk.operations.exporting); xlsx_file decides what goes
in the cells, this module how a workbook holds them. The package is the least
Excel, LibreOffice and python-calamine need: the content types, the
relationships, a workbook naming one sheet (and the hidden name Excel gives
a filtered range), a style sheet (a bold header with a line under it, a date,
a date-time and a money format) and the sheet itself, with its header row
frozen, filters over the used range and column widths.

Cells are built a column of a chunk at a time, as the CSV export's general way
does: each column becomes a list of finished ``<c>`` elements from one
precomputed template, and the chunk's rows are one ``str.join`` over them. A
text column with nothing to escape (most of them) is settled by one regular
expression over the whole column joined; only a column where something was
found is escaped cell by cell. Text is always an inline string (``t="inlineStr"``):
a value like ``=1+1`` is shown as typed and is never a formula.

Characters XML 1.0 forbids: control characters are written as Excel writes
them, ``_x0007_``, which Excel and python-calamine read back as the character
(and a literal ``_x0007_`` in the text gets its underscore escaped, as Excel
does); lone surrogates and U+FFFE/U+FFFF, which no reader gives back, are
dropped. A text longer than Excel's 32,767 UTF-16 code units per cell is cut
there (never inside a surrogate pair).

Compression: the sheet is deflated at a low level, on a helper thread (zlib and
the CRC release the interpreter lock) while the next chunk's XML is built.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain, repeat
from typing import IO, Any
from xml.sax.saxutils import quoteattr

# Excel's limits: rows per sheet (the header is one) and UTF-16 code units per cell.
MAX_ROWS = 1_048_576
MAX_CELL_UNITS = 32_767
# Level 1: the sheet is mostly repeated markup, which the fastest level already
# shrinks well; higher levels take much longer for a little less
# (benchmarks/README.md).
COMPRESS_LEVEL = 1

# The cell formats of styles.xml, by their index.
STYLE_HEADER = 1
STYLE_DATE = 2
STYLE_DATETIME = 3
STYLE_MONEY = 4

_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_CONTENT_TYPES = (
    _DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_CONTENT_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{_CONTENT_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_CONTENT_TYPE}.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _DECLARATION + f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _DECLARATION + f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_STYLES = (
    _DECLARATION + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="3">'
    '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/>'
    '<numFmt numFmtId="166" formatCode="#,##0.00"/>'
    "</numFmts>"
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom>'
    "<diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

# --- cells ---------------------------------------------------------------------------


def column_letters(index: int) -> str:
    """'A' for column 0, 'Z' for 25, 'AA' for 26."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _inline_template(letters: str) -> tuple[str, str]:
    return f'<c r="{letters}', '" t="inlineStr"><is><t>'


_TEXT_END = "</t></is></c>"
# Cells are joined by NUL to be scanned as one string; NUL itself is a control
# character, so a cell holding one is caught by the separator count instead.
_SEPARATOR = "\0"
# Every control character but tab and line feed (a raw \r would read back as \n);
# NUL apart, as it separates the cells scanned together.
_CONTROL_BUT_NUL = "\x01-\x08\x0b-\x1f"
_CONTROL = "\x00" + _CONTROL_BUT_NUL
_UNREADABLE = "\ud800-\udfff\ufffe\uffff"
# Anything a cell's text needs done to it: markup, a character written as an
# escape or dropped, Excel's own escape written literally ("_x" found first,
# then the pattern), whitespace at either end (kept only by xml:space="preserve").
# Separate scans: one character class and a few substrings each run at C speed
# over a column joined; one pattern with alternatives would not.
_NEEDS_WORK = re.compile(f"[&<>{_CONTROL_BUT_NUL}{_UNREADABLE}]")
_EXCEL_ESCAPE = re.compile("_x[0-9A-Fa-f]{4}_")
_SPACE_AT_ENDS = [f"{_SEPARATOR}{space}" for space in " \t\n"] + [
    f"{space}{_SEPARATOR}" for space in " \t\n"
]


def _needs_work(joined: str) -> bool:
    """Whether any cell of a column joined by the separator needs escape_text."""
    return bool(
        _NEEDS_WORK.search(joined)
        or ("_x" in joined and _EXCEL_ESCAPE.search(joined))
        or joined[:1] in " \t\n"
        or joined[-1:] in " \t\n"
        or any(space in joined for space in _SPACE_AT_ENDS)
    )


_ESCAPE_LITERAL = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_TO_ESCAPE = re.compile(f"[{_CONTROL}]|[{_UNREADABLE}]")
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _escaped_character(match: re.Match[str]) -> str:
    character = match.group()
    return "" if character >= "\ud800" else f"_x{ord(character):04X}_"


def cut_to_excel_limit(text: str) -> str:
    """``text`` cut to Excel's 32,767 UTF-16 code units, never inside a surrogate pair."""
    if len(text) <= MAX_CELL_UNITS // 2:
        return text
    units = 0
    for index, character in enumerate(text):
        units += 2 if character > "\uffff" else 1
        if units > MAX_CELL_UNITS:
            return text[:index]
    return text


def escape_text(text: str) -> tuple[str, bool]:
    """``text`` as the content of a ``<t>`` element, and whether its whitespace must be kept."""
    text = cut_to_excel_limit(text)
    text = _ESCAPE_LITERAL.sub(r"_x005F_\1", text)
    text = _TO_ESCAPE.sub(_escaped_character, text).translate(_MARKUP)
    return text, text[:1] in " \t\n" or text[-1:] in " \t\n"


def text_cells(column: int, values: Sequence[str | None], rows: Sequence[str]) -> list[str] | None:
    """The ``<c>`` elements of one column of text ('' for no value); None if it has none.

    ``rows`` are the row numbers of the chunk, as text.
    """
    present = list(filter(None, values))
    if not present:
        return None
    start, middle = _inline_template(column_letters(column))
    joined = _SEPARATOR.join(present)
    if (
        max(map(len, present)) <= MAX_CELL_UNITS // 2
        and joined.count(_SEPARATOR) == len(present) - 1
        and not _needs_work(joined)
    ):
        return [
            f"{start}{row}{middle}{value}{_TEXT_END}" if value else ""
            for row, value in zip(rows, values, strict=True)
        ]
    preserved = middle.replace("<t>", '<t xml:space="preserve">')
    cells: list[str] = []
    for row, value in zip(rows, values, strict=True):
        if not value:
            cells.append("")
            continue
        text, keep_space = escape_text(value)
        cells.append(f"{start}{row}{preserved if keep_space else middle}{text}{_TEXT_END}")
    return cells


def number_cells(
    column: int, numbers: Sequence[str | None], rows: Sequence[str], style: int = 0
) -> list[str] | None:
    """The ``<c>`` elements of one column of numbers, given as their text (None: no value)."""
    if not any(numbers):
        return None
    styled = f' s="{style}"' if style else ""
    start, middle = f'<c r="{column_letters(column)}', f'"{styled}><v>'
    return [
        "" if number is None else f"{start}{row}{middle}{number}</v></c>"
        for row, number in zip(rows, numbers, strict=True)
    ]


def bool_cells(column: int, values: Sequence[Any], rows: Sequence[str]) -> list[str] | None:
    """The ``<c>`` elements of one column of yes/no values (None: no value)."""
    if all(value is None for value in values):
        return None
    letters = column_letters(column)
    true = '" t="b"><v>1</v></c>'
    false = '" t="b"><v>0</v></c>'
    return [
        "" if value is None else f'<c r="{letters}{row}{true if value else false}'
        for row, value in zip(rows, values, strict=True)
    ]


def rows_xml(first_row: int, columns: Iterable[Sequence[str] | None], count: int) -> str:
    """``count`` ``<row>`` elements, numbered from ``first_row``, of the columns' cells."""
    filled = [cells for cells in columns if cells is not None]
    opening = [f'<row r="{number}">' for number in range(first_row, first_row + count)]
    pieces = zip(opening, *filled, repeat("</row>", count), strict=False)
    return "".join(chain.from_iterable(pieces))


def row_numbers(first_row: int, count: int) -> list[str]:
    return [str(number) for number in range(first_row, first_row + count)]


# --- the package ---------------------------------------------------------------------


def _stored_width(characters: int) -> float:
    """A column width as Excel stores it: the characters plus its cell padding (Calibri 11)."""
    pixels = int(characters * 7 + 0.5) + 5
    return int(pixels / 7 * 256) / 256


class SheetTooLarge(Exception):
    """The sheet's XML outgrew what a ZIP entry holds without ZIP64 records (2 GiB)."""


class SheetPackage:
    """An .xlsx package of one sheet written to ``file``: ``start``, rows, then ``finish``.

    The caller closes ``file``. ``abandon`` (after an error or a cancel) stops
    the helper thread and closes the package, which is then no workbook; the
    caller deletes the file.
    """

    def __init__(self, file: IO[bytes], sheet_name: str, headers: Sequence[str]) -> None:
        self.sheet_name = sheet_name
        self.headers = list(headers)
        self.last_letters = column_letters(len(self.headers) - 1)
        self.rows_written = 0
        self._zip = zipfile.ZipFile(
            file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
        )
        self._sheet: IO[bytes] | None = None
        self._helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="leaddesk-xlsx")
        self._pending: Future[int] | None = None

    def start(self, widths: Sequence[int], rows: int) -> None:
        """The sheet's head: its size, the frozen header row, the widths and the header."""
        columns = "".join(
            f'<col min="{index}" max="{index}" width="{_stored_width(width)}" customWidth="1"/>'
            for index, width in enumerate(widths, start=1)
        )
        header = [
            f'<c r="{column_letters(index)}1" s="{STYLE_HEADER}" t="inlineStr"><is><t>'
            f"{escape_text(name)[0]}</t></is></c>"
            for index, name in enumerate(self.headers)
        ]
        head = (
            _DECLARATION + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
            f'<dimension ref="A1:{self.last_letters}{rows + 1}"/>'
            '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{columns}</cols>'
            f'<sheetData><row r="1">{"".join(header)}</row>'
        )
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w")
        self._write(head)

    def write_rows(self, xml: str, count: int) -> None:
        """Rows built by ``rows_xml``, numbered after the rows already written."""
        self._write(xml)
        self.rows_written += count

    def _write(self, xml: str) -> None:
        """Compress and write ``xml`` on the helper thread, once the previous piece is written."""
        assert self._sheet is not None
        if self._pending is not None:
            self._pending.result()
        sheet = self._sheet
        self._pending = self._helper.submit(lambda data: sheet.write(data), xml.encode("utf-8"))

    def finish(self) -> None:
        """The end of the sheet (filters, margins) and the other parts; the file is complete."""
        assert self._sheet is not None
        last_row = max(2, self.rows_written + 1)
        used = f"A1:{self.last_letters}{last_row}"
        self._write(
            f'</sheetData><autoFilter ref="{used}"/>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
            'header="0.3" footer="0.3"/></worksheet>'
        )
        self._drain()
        try:
            self._sheet.close()
        except RuntimeError:  # zipfile: over 2 GiB of XML without ZIP64 records
            raise SheetTooLarge from None
        name = quoteattr(self.sheet_name)
        filtered = f"{self._quoted_sheet()}!$A$1:${self.last_letters}${last_row}"
        workbook = (
            _DECLARATION + f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
            f'<bookViews><workbookView/></bookViews><sheets><sheet name={name} sheetId="1" '
            'r:id="rId1"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" '
            f'localSheetId="0" hidden="1">{filtered}</definedName></definedNames></workbook>'
        )
        for part, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/styles.xml", _STYLES),
        ):
            self._zip.writestr(part, text)
        self._zip.close()
        self._helper.shutdown()

    def _quoted_sheet(self) -> str:
        name = self.sheet_name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return name if name.isalnum() else "'" + name.replace("'", "''") + "'"

    def _drain(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def abandon(self) -> None:
        """Stop writing: the piece in flight ends, the file is closed whatever state it is in."""
        with contextlib.suppress(Exception):
            self._drain()
        self._helper.shutdown(wait=True)
        for close in (self._sheet.close if self._sheet is not None else None, self._zip.close):
            if close is not None:
                with contextlib.suppress(Exception):
                    close()
