"""What the wizard knows about the file being imported, without any widget.

The pages read and change one ``ImportSession``: the file, how to read it
(detected, then corrected by the user), the first rows, and the mapping. The
preview parses those first rows with the same ``RowParser`` the import uses, so
what the user sees is what will be written.
"""

from __future__ import annotations

import codecs
import datetime as dt
import enum
import re
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from leaddesk.core.clock import Clock
from leaddesk.core.csv_import.column_values import sample_columns
from leaddesk.core.csv_import.file_errors import NO_DATA_ROWS, UnusableFileError
from leaddesk.core.csv_import.mapping import (
    CREATED_AT,
    EMAIL_OPT_OUT,
    FIRST_CONTACTED,
    FULL_NAME,
    KEEP_IN_NOTES,
    ColumnMapping,
    suggest_mapping,
)
from leaddesk.core.csv_import.mapping_explanation import ColumnReason, explain_mapping
from leaddesk.core.csv_import.mapping_presets import MappingPreset, apply_preset, find_preset
from leaddesk.core.csv_import.reader import SAMPLE_BYTES, CsvFormat, SourceRow
from leaddesk.core.csv_import.row_parser import CellProblem, ParsedRow, RowParser
from leaddesk.core.csv_import.source import SourceFormat, iter_source_rows, sniff_source
from leaddesk.core.csv_import.targets import target_label
from leaddesk.core.csv_import.values import FieldValue
from leaddesk.core.csv_import.verdict import (
    RowOutcome,
    broken_record_reason,
    rejection_reason,
    row_outcome,
    warning_text,
)
from leaddesk.core.csv_import.xlsx_reader import SheetFormat
from leaddesk.core.fields import FIELDS_BY_NAME, IDENTIFYING_FIELDS, LEAD_FIELDS, FieldKind

PREVIEW_ROWS = 50
"""Rows shown in the live preview."""
SAMPLE_ROWS = 200
"""Rows read to learn a column's conventions (date order, decimal mark)."""
RAW_LINES = 40
"""Lines of the file shown on the settings page, to choose the header row."""

IGNORE_LABEL = "Ignore"
TARGET_CHOICES: tuple[tuple[str | None, str], ...] = (
    (None, IGNORE_LABEL),
    (KEEP_IN_NOTES, target_label(KEEP_IN_NOTES)),
    (FULL_NAME, target_label(FULL_NAME)),
    *((field.name, field.label) for field in LEAD_FIELDS),
    (CREATED_AT, target_label(CREATED_AT)),
    (FIRST_CONTACTED, target_label(FIRST_CONTACTED)),
    (EMAIL_OPT_OUT, target_label(EMAIL_OPT_OUT)),
)
TARGET_LABELS: dict[str | None, str] = dict(TARGET_CHOICES)

IDENTIFYING_TARGETS = frozenset(IDENTIFYING_FIELDS) | {FULL_NAME}
NO_IDENTITY_MESSAGE = (
    "No column identifies a lead: map a name, full name, email or phone column to continue."
)

ENCODINGS: tuple[tuple[str, str], ...] = (
    ("utf-8", "UTF-8"),
    ("utf-8-sig", "UTF-8 with BOM"),
    ("utf-16", "UTF-16"),
    ("utf-16-le", "UTF-16 LE (no BOM)"),
    ("utf-16-be", "UTF-16 BE (no BOM)"),
    ("cp1252", "Windows-1252 (Western)"),
    ("latin-1", "ISO-8859-1 (Latin-1)"),
    ("iso8859-15", "ISO-8859-15 (Latin-9)"),
    ("mac-roman", "Mac Roman"),
    ("cp1250", "Windows-1250 (Central European)"),
    ("cp1251", "Windows-1251 (Cyrillic)"),
)
DELIMITERS: tuple[tuple[str, str], ...] = (
    (",", "Comma  ,"),
    (";", "Semicolon  ;"),
    ("\t", "Tab"),
    ("|", "Pipe  |"),
)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def encoding_label(encoding: str) -> str:
    """'utf-8-sig' -> 'UTF-8 with BOM'; unknown codecs keep their name."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    for codec, label in ENCODINGS:
        if codecs.lookup(codec).name == name:
            return label
    return encoding


def output_field(target: str) -> str:
    """The lead field a target ends up in (an opt-out column sets consent)."""
    return {FULL_NAME: "first_name", EMAIL_OPT_OUT: "consent", KEEP_IN_NOTES: "notes"}.get(
        target, target
    )


def output_label(name: str) -> str:
    if name in (CREATED_AT, FIRST_CONTACTED):
        return target_label(name)
    return FIELDS_BY_NAME[name].label


def preview_fields(mapping: ColumnMapping) -> tuple[str, ...]:
    """The lead fields a mapping fills, in column order (a full name gives two)."""
    fields: list[str] = []
    for target in mapping.targets:
        if target is None:
            continue
        names = ("first_name", "last_name") if target == FULL_NAME else (output_field(target),)
        fields.extend(name for name in names if name not in fields)
    return tuple(fields)


def identifies_leads(mapping: ColumnMapping) -> bool:
    return bool(mapping.mapped_targets & IDENTIFYING_TARGETS)


def format_value(name: str, value: FieldValue) -> str:
    """A parsed value as the preview shows it."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, enum.Enum):
        label = getattr(value, "label", None)
        return label if isinstance(label, str) else str(value.value)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and name in FIELDS_BY_NAME:
        if FIELDS_BY_NAME[name].kind is FieldKind.MONEY:
            return f"{value / 100:,.2f}"
        return f"{value:,}" if FIELDS_BY_NAME[name].kind is FieldKind.INTEGER else str(value)
    return " ".join(str(value).split())


class Verdict(enum.Enum):
    OK = "ok"
    WARNING = "warning"
    """A value was kept as typed."""
    NOTE = "note"
    """A value its field cannot read is kept in the notes (or NUL characters removed)."""
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One row of the file as it will be imported."""

    line_number: int
    values: dict[str, FieldValue]
    problems: dict[str, list[CellProblem]]
    """Lead field -> the problems of the cells that fill it."""
    verdict: Verdict
    reason: str
    """Why the row is rejected, or what was kept as typed; empty when OK."""


def judge_row(
    line_number: int, values: dict[str, FieldValue], problems: list[CellProblem]
) -> PreviewRow:
    by_field: dict[str, list[CellProblem]] = {}
    for problem in problems:
        by_field.setdefault(output_field(problem.target), []).append(problem)
    # The very rule the import applies, so the preview never promises otherwise.
    parsed = ParsedRow(values, problems)
    rejected = rejection_reason(parsed)
    if rejected is not None:
        verdict, reason = Verdict.REJECTED, rejected
    elif problems:
        noted = row_outcome(parsed) is RowOutcome.NOTE
        verdict = Verdict.NOTE if noted else Verdict.WARNING
        reason = warning_text(parsed)
    else:
        verdict, reason = Verdict.OK, ""
    return PreviewRow(line_number, values, by_field, verdict, reason)


@dataclass(frozen=True, slots=True)
class SourceRead:
    """What reading a file found: how to read it and its first rows, or why it is unusable."""

    fmt: SourceFormat | None
    rows: list[SourceRow]
    error: str | None = None


def read_source(
    path: Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_line_number: int | None = None,
) -> SourceRead:
    """Detect how to read ``path`` and read its first SAMPLE_ROWS rows (no widget:
    a big workbook is read on a worker thread)."""
    try:
        fmt = sniff_source(
            path,
            sheet=sheet,
            encoding=encoding,
            delimiter=delimiter,
            header_line_number=header_line_number,
        )
        rows = list(islice(iter_source_rows(path, fmt), SAMPLE_ROWS))
        if not rows:
            raise UnusableFileError(NO_DATA_ROWS)
    except UnusableFileError as error:
        return SourceRead(None, [], str(error))
    return SourceRead(fmt, rows)


@dataclass(frozen=True, slots=True)
class PendingRead:
    """A read of a workbook (or another of its sheets) waiting for its worker."""

    path: Path
    sheet: str | None

    def run(self) -> SourceRead:
        return read_source(self.path, sheet=self.sheet)


class ImportSession:
    """The file, how to read it, its first rows and the mapping chosen so far."""

    def __init__(self, default_region: str | None = None, clock: Clock | None = None) -> None:
        self.default_region = default_region
        # The preview refuses a future first contact as the import will (None: no check).
        self.clock = clock
        self.path: Path | None = None
        self.fmt: SourceFormat | None = None
        self.error: str | None = None
        self.rows: list[SourceRow] = []
        self.mapping: ColumnMapping | None = None
        self.preset_name: str | None = None
        """The saved preset the mapping came from, if it was not changed since."""
        self.chosen_encoding: str | None = None
        self.chosen_delimiter: str | None = None
        self.chosen_header_line: int | None = None
        self.chosen_sheet: str | None = None
        """Settings the user chose instead of the detected ones."""

    # -- the file and how to read it ----------------------------------------

    def open(self, path: Path) -> bool:
        """Read ``path`` with detected settings; False (and ``error`` set) if unusable."""
        self.path = path
        self.chosen_encoding = self.chosen_delimiter = self.chosen_header_line = None
        self.chosen_sheet = None
        return self._load()

    @property
    def is_workbook(self) -> bool:
        """Whether the file read is an Excel workbook (no encoding or separator to choose)."""
        return isinstance(self.fmt, SheetFormat)

    def choose_sheet(self, sheet: str) -> bool:
        """Read another sheet of the workbook; its header row is detected afresh."""
        self.chosen_sheet = sheet
        self.chosen_header_line = None
        return self._load()

    def override(
        self,
        *,
        encoding: str | None = None,
        delimiter: str | None = None,
        header_line_number: int | None = None,
    ) -> bool:
        """Read the file again with a setting the user chose; the others stay as chosen."""
        if encoding is not None or delimiter is not None:
            self.chosen_encoding = encoding or self.chosen_encoding
            self.chosen_delimiter = delimiter or self.chosen_delimiter
            # Reading the bytes differently may move the header: detect it again.
            self.chosen_header_line = None
        if header_line_number is not None:
            self.chosen_header_line = header_line_number
        return self._load()

    def _load(self) -> bool:
        assert self.path is not None
        return self._apply(
            read_source(
                self.path,
                sheet=self.chosen_sheet,
                encoding=self.chosen_encoding,
                delimiter=self.chosen_delimiter,
                header_line_number=self.chosen_header_line,
            )
        )

    def _apply(self, read: SourceRead) -> bool:
        """Take what ``read_source`` found; False (and ``error`` set) if unusable."""
        old_headers = self.fmt.headers if self.fmt else None
        self.fmt, self.rows, self.error = read.fmt, read.rows, read.error
        if read.fmt is None:
            self.mapping = None
            return False
        if read.fmt.headers != old_headers:
            self.mapping = None
        return True

    # -- reading a workbook off the UI thread (ui/import_wizard/file_page.py) ----

    def pending_open(self, path: Path) -> PendingRead:
        """Reading ``path`` with detected settings, to run on a worker thread."""
        return PendingRead(path, None)

    def pending_sheet(self, sheet: str) -> PendingRead:
        """Reading another sheet of the workbook open now, to run on a worker thread."""
        assert self.path is not None
        return PendingRead(self.path, sheet)

    def finish_read(self, pending: PendingRead, read: SourceRead) -> bool:
        """Take a read done on a worker thread, as ``open`` or ``choose_sheet`` would."""
        if pending.path != self.path:
            self.chosen_encoding = self.chosen_delimiter = None
        self.path = pending.path
        self.chosen_sheet = pending.sheet
        self.chosen_header_line = None
        return self._apply(read)

    def raw_lines(self, limit: int = RAW_LINES) -> list[str]:
        """The first physical lines of the file, decoded as currently chosen."""
        if self.path is None or self.is_workbook:
            return []
        fmt = self.fmt
        encoding = self.chosen_encoding or (
            fmt.encoding if isinstance(fmt, CsvFormat) else "cp1252"
        )
        try:
            with open(self.path, "rb") as stream:
                head = stream.read(SAMPLE_BYTES)
            text = codecs.decode(head, encoding, errors="replace")
        except (OSError, LookupError):
            return []
        lines = _LINE_BREAK.split(text.lstrip("\ufeff"), maxsplit=limit)[:limit]
        while lines and not lines[-1]:
            lines.pop()  # the line break that ends the file starts no line
        return lines

    # -- mapping and preview -------------------------------------------------

    def initial_mapping(self, presets: list[MappingPreset]) -> tuple[ColumnMapping, str | None]:
        """A saved preset made for these headers if there is one, else the suggestion."""
        assert self.fmt is not None
        preset = find_preset(presets, self.fmt.headers)
        if preset is not None:
            return apply_preset(preset, self.fmt.headers), preset.name
        return self.suggested_mapping(), None

    def column_values(self) -> list[list[str]]:
        """The first rows' cells, column by column, as read."""
        assert self.fmt is not None
        return sample_columns([row.values for row in self.rows], len(self.fmt.headers))

    def suggested_mapping(self) -> ColumnMapping:
        """The mapping the headers propose, confirmed by the first rows' values."""
        assert self.fmt is not None
        return suggest_mapping(self.fmt.headers, self.column_values())

    def column_reasons(self, mapping: ColumnMapping) -> tuple[ColumnReason, ...]:
        """Why each column fills what it fills, judged on the first rows."""
        return explain_mapping(mapping, self.column_values())

    def samples(self, column: int, count: int = 3) -> list[str]:
        """The first non-empty values of ``column``, as typed."""
        found: list[str] = []
        for row in self.rows:
            if column < len(row.values) and (text := " ".join(row.values[column].split())):
                found.append(text)
                if len(found) == count:
                    break
        return found

    def preview(self, mapping: ColumnMapping, limit: int = PREVIEW_ROWS) -> list[PreviewRow]:
        parser = RowParser.from_sample(
            mapping,
            (row.values for row in self.rows),
            default_region=self.default_region,
            now=self.clock.now() if self.clock is not None else None,
            # As the import reads a workbook: its apostrophes are the user's.
            undo_export_escaping=False if self.is_workbook else None,
        )
        result: list[PreviewRow] = []
        # A CSV record longer than its header is rejected whole, as the import does.
        header_cells = len(self.fmt.headers) if isinstance(self.fmt, CsvFormat) else None
        for row in self.rows[:limit]:
            parsed = parser.parse(row.values)
            broken = (
                broken_record_reason(row.line_number, row.values, header_cells)
                if header_cells is not None
                else None
            )
            if broken is not None:
                result.append(
                    PreviewRow(row.line_number, parsed.values, {}, Verdict.REJECTED, broken)
                )
                continue
            result.append(judge_row(row.line_number, parsed.values, parsed.problems))
        return result
