"""``RowParser``: a ``ColumnMapping`` applied to whole rows of a CSV file.

It runs for every row of files with a million rows, so every parser settles the
common case with cheap string work and leaves the slow libraries (phonenumbers,
email-validator) to the rare values that need them, memoised. The import reads a
chunk of rows at a time with ``parse_chunk_values``: column by column, through a
memo per column (names, stages, dates repeat) and whole-column checks for text,
emails and phones (column_outcomes); it gives exactly what ``parse`` gives row
by row, which the wizard's preview uses (``parse_chunk`` gives it as ParsedRows).
What a row comes to -- its values and the cells it could not take as they are --
is in cell_problems.

Per-column decisions that one value cannot settle -- whether 03/04/2026 is in
March or April, whether 1,234 is a thousand or one -- are made from a sample of
the column (``detect_date_order``, ``detect_decimal_mark``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import Any

from leaddesk.core.csv_import.cell_problems import (
    NUL,
    NUL_REASON,
    CellAction,
    CellProblem,
    ParsedRow,
    note_line,
)
from leaddesk.core.csv_import.column_outcomes import (
    EMPTY,
    FAILED,
    CellMemo,
    ColumnReader,
    email_outcomes,
    memo_outcomes,
    phone_outcomes,
    text_outcomes,
)
from leaddesk.core.csv_import.export_headers import is_leaddesk_export
from leaddesk.core.csv_import.full_names import split_full_name
from leaddesk.core.csv_import.imported_values import with_section
from leaddesk.core.csv_import.mapping import (
    CREATED_AT,
    EMAIL_OPT_OUT,
    FIRST_CONTACTED,
    FULL_NAME,
    KEEP_IN_NOTES,
    ColumnMapping,
)
from leaddesk.core.csv_import.safety import ESCAPE, unneutralise
from leaddesk.core.csv_import.value_contacts import (
    parse_email,
    parse_phone,
    parse_phone_as_typed,
)
from leaddesk.core.csv_import.value_dates import (
    DateOrder,
    detect_date_order,
    parse_date,
    parse_datetime,
    parse_first_contact,
)
from leaddesk.core.csv_import.value_labels import (
    choice_parser,
    parse_bool,
    parse_consent,
    parse_opt_out,
    parse_source,
    parse_stage,
    parse_temperature,
)
from leaddesk.core.csv_import.value_numbers import (
    detect_decimal_mark,
    parse_integer,
    parse_money_cents,
)
from leaddesk.core.csv_import.values import PLACEHOLDERS, UTC, CellValueError, FieldValue
from leaddesk.core.fields import (
    DISQUALIFICATION_REASONS,
    FIELDS_BY_NAME,
    PREFERRED_CHANNELS,
    Consent,
    FieldKind,
    Stage,
)

# What other modules import from here (the parts split off to their own modules).
__all__ = ["CellAction", "CellProblem", "ParsedRow", "RowParser"]

CellParser = Callable[[str], Any]


_TEXT_KINDS = frozenset({FieldKind.TEXT, FieldKind.LONG_TEXT, FieldKind.URL, FieldKind.OWNER})
_DATE_TARGETS = frozenset(
    {CREATED_AT, FIRST_CONTACTED}
    | {f.name for f in FIELDS_BY_NAME.values() if f.kind in (FieldKind.DATE, FieldKind.DATETIME)}
)
_MONEY_TARGETS = frozenset(f.name for f in FIELDS_BY_NAME.values() if f.kind is FieldKind.MONEY)


def _stage_only(text: str) -> Stage:
    return parse_stage(text).stage


class RowParser:
    """Parses the rows of one file into lead values, column by column.

    Build it with ``from_sample`` so that per-column conventions (date order,
    decimal mark) are learned from the file's first rows.
    """

    def __init__(
        self,
        mapping: ColumnMapping,
        *,
        default_region: str | None = None,
        timezone: dt.tzinfo = UTC,
        date_orders: Mapping[int, DateOrder] | None = None,
        decimal_marks: Mapping[int, str | None] | None = None,
        undo_export_escaping: bool | None = None,
        phones_as_typed: bool = False,
        now: dt.datetime | None = None,
    ) -> None:
        """``now``: first contact dates after it are refused (None: none are)."""
        self.mapping = mapping
        # LeadDesk's own export is a restore: its first contacts are what it stored.
        self.now = None if is_leaddesk_export(mapping.headers) else now
        self.default_region = default_region
        self.timezone = timezone
        self.date_orders = dict(date_orders or {})
        self.decimal_marks = dict(decimal_marks or {})
        # Undoing the formula escaping of LeadDesk's own export makes export ->
        # import exact. Only an export's apostrophes are LeadDesk's mark (the file
        # says so by its header row, see is_leaddesk_export); in any other file a
        # leading apostrophe is the user's own text and stays ("None": decide so).
        if undo_export_escaping is None:
            undo_export_escaping = is_leaddesk_export(mapping.headers)
        self.undo_export_escaping = undo_export_escaping
        # LeadDesk's own export holds phones as users typed them (see
        # parse_phone_as_typed); other files get the international form.
        self.phones_as_typed = phones_as_typed
        self._stage_column = mapping.column_of("stage")
        # Columns kept in the notes: read as text and written into the notes'
        # imported-values section, never into a field of their own.
        self._note_columns = [
            (column, header)
            for column, (header, target) in enumerate(
                zip(mapping.headers, mapping.targets, strict=True)
            )
            if target == KEEP_IN_NOTES
        ]
        self._typed_targets = frozenset(
            target
            for target in mapping.mapped_targets
            if target not in (FULL_NAME, KEEP_IN_NOTES)
            and (
                target in (CREATED_AT, FIRST_CONTACTED, EMAIL_OPT_OUT)
                or FIELDS_BY_NAME[target].kind not in _TEXT_KINDS
            )
        )
        # Per mapped column: where, its header, its target, how to read a cell,
        # and whether placeholders such as 'n/a' mean empty there.
        self._columns: list[tuple[int, str, str, CellParser, bool]] = [
            (
                column,
                mapping.headers[column],
                target,
                self._parser_for(column, target),
                target in self._typed_targets,
            )
            for column, target in enumerate(mapping.targets)
            if target is not None and target != KEEP_IN_NOTES
        ]
        self._width = 1 + max(
            [column for column, *_rest in self._columns]
            + [column for column, _header in self._note_columns],
            default=-1,
        )
        # For parse_chunk: each column's outcomes memoised by cell text, and
        # whether a row needs the whole-row rules after its cells are read.
        self._targets = tuple(target for _column, _header, target, *_rest in self._columns)
        self._memos = [
            CellMemo(partial(self._outcome, parse_cell, typed))
            for _column, _header, _target, parse_cell, typed in self._columns
        ]
        self._column_readers = [
            self._column_reader(target, parse_cell, typed)
            for _column, _header, target, parse_cell, typed in self._columns
        ]
        self._picks = itemgetter(*(column for column, *_rest in self._columns), 0)
        # A stage needs the row again only when it disqualifies (for the reason).
        self._row_rules = bool({FULL_NAME, EMAIL_OPT_OUT} & set(self._targets))
        self._stage_positions = [i for i, target in enumerate(self._targets) if target == "stage"]

    @classmethod
    def from_sample(
        cls,
        mapping: ColumnMapping,
        sample_rows: Iterable[Sequence[str]],
        *,
        default_date_order: DateOrder | None = None,
        **options: Any,
    ) -> RowParser:
        """A parser whose date orders and decimal marks are detected on ``sample_rows``."""
        rows = list(sample_rows)
        # LeadDesk's own export is a restore: phones as the lead form stored them.
        options.setdefault("phones_as_typed", is_leaddesk_export(mapping.headers))
        date_orders: dict[int, DateOrder] = {}
        decimal_marks: dict[int, str | None] = {}
        for column, target in enumerate(mapping.targets):
            values = [row[column] for row in rows if column < len(row) and row[column].strip()]
            if target in _DATE_TARGETS:
                date_orders[column] = detect_date_order(values, default_date_order)
            elif target in _MONEY_TARGETS:
                decimal_marks[column] = detect_decimal_mark(values)
        return cls(mapping, date_orders=date_orders, decimal_marks=decimal_marks, **options)

    def _parser_for(self, column: int, target: str) -> CellParser:
        order = self.date_orders.get(column, DateOrder.DAY_FIRST)
        if target in (CREATED_AT, "consent_date"):
            return partial(parse_datetime, order=order, timezone=self.timezone)
        if target == FIRST_CONTACTED:
            return partial(
                parse_first_contact, order=order, timezone=self.timezone, not_after=self.now
            )
        if target == EMAIL_OPT_OUT:
            return parse_opt_out
        if target == FULL_NAME:
            return str.strip
        kind = FIELDS_BY_NAME[target].kind
        special: dict[str, CellParser] = {
            "source": parse_source,
            "consent": parse_consent,
            "temperature": parse_temperature,
            "stage": _stage_only,
            "preferred_channel": choice_parser(PREFERRED_CHANNELS, "channel"),
            "disqualification_reason": choice_parser(
                DISQUALIFICATION_REASONS, "disqualification reason"
            ),
        }
        if target in special:
            return special[target]
        if kind in _TEXT_KINDS:
            return str.strip
        by_kind: dict[FieldKind, CellParser] = {
            FieldKind.EMAIL: parse_email,
            FieldKind.PHONE: partial(
                parse_phone_as_typed if self.phones_as_typed else parse_phone,
                default_region=self.default_region,
            ),
            FieldKind.DATE: partial(parse_date, order=order),
            FieldKind.DATETIME: partial(parse_datetime, order=order, timezone=self.timezone),
            FieldKind.BOOL: parse_bool,
            FieldKind.MONEY: partial(
                parse_money_cents, decimal_mark=self.decimal_marks.get(column)
            ),
            FieldKind.INTEGER: parse_integer,
        }
        return by_kind.get(kind, str.strip)

    def parse(self, cells: Sequence[str]) -> ParsedRow:
        """The lead values of one row, and the problems of its cells.

        A value its field cannot read never costs the row: the field stays empty
        and the text goes to the notes' imported-values section, with the text of
        the columns kept in the notes.
        """
        values: dict[str, FieldValue] = {}
        problems: list[CellProblem] = []
        noted: list[tuple[int, str]] = []  # (column, 'Header: text') for the notes
        complete = len(cells) >= self._width  # the common case: no short rows
        width = len(cells)
        undo_escaping = self.undo_export_escaping
        for column, header, target, parse_cell, typed in self._columns:
            if not complete and column >= width:
                continue
            text = cells[column]
            if NUL in text:
                text = text.replace(NUL, "")
                problems.append(
                    CellProblem(column, header, target, text, NUL_REASON, CellAction.CLEANED)
                )
            if not text or text.isspace() or (typed and text in PLACEHOLDERS):
                continue
            if undo_escaping and text[0] == ESCAPE:
                text = unneutralise(text)
            try:
                values[target] = parse_cell(text)
            except CellValueError as error:
                kept = error.kept
                if kept is not None:
                    values[target] = kept
                    action, reason = CellAction.KEPT_AS_TYPED, error.reason
                else:
                    action, reason = CellAction.NOTED, f"{error.reason} It was kept in the notes."
                    noted.append((column, note_line(header, text)))
                problems.append(CellProblem(column, header, target, text, reason, action))
        for column, header in self._note_columns:
            if column < width and (text := cells[column]) and not text.isspace():
                if NUL in text:
                    text = text.replace(NUL, "")
                    problems.append(
                        CellProblem(
                            column, header, KEEP_IN_NOTES, text, NUL_REASON, CellAction.CLEANED
                        )
                    )
                if text.strip():
                    noted.append((column, self._note_text(header, text)))
        self._apply_row_rules(values, cells)
        if noted:
            notes = values.get("notes")
            values["notes"] = with_section(
                str(notes) if notes else None, [line for _column, line in sorted(noted)]
            )
        return ParsedRow(values, problems)

    def _note_text(self, header: str, text: str) -> str:
        """The notes line of a column kept in the notes."""
        if self.undo_export_escaping and text[:1] == ESCAPE:
            text = unneutralise(text)
        return note_line(header, text)

    def _column_reader(self, target: str, parse_cell: CellParser, typed: bool) -> ColumnReader:
        """How parse_chunk reads a whole column of ``target``."""
        if parse_cell is str.strip and not typed:
            return text_outcomes
        if parse_cell is parse_email:
            return email_outcomes
        if target in FIELDS_BY_NAME and FIELDS_BY_NAME[target].kind is FieldKind.PHONE:
            return partial(phone_outcomes, as_typed=self.phones_as_typed)
        return memo_outcomes

    def _outcome(self, parse_cell: CellParser, typed: bool, text: str) -> Any:
        """What ``parse`` makes of one cell: its value, EMPTY, or FAILED."""
        if not text or text.isspace() or (typed and text in PLACEHOLDERS):
            return EMPTY
        if self.undo_export_escaping and text[0] == ESCAPE:
            text = unneutralise(text)
        try:
            return parse_cell(text)
        except CellValueError:
            return FAILED

    def parse_chunk(self, rows: Sequence[Sequence[str]]) -> list[ParsedRow]:
        """``[self.parse(row) for row in rows]``, column by column (see parse_chunk_values)."""
        all_values, parsed_whole = self.parse_chunk_values(rows)
        parsed = [ParsedRow(values, []) for values in all_values]
        for index, whole in parsed_whole.items():
            parsed[index] = whole
        return parsed

    def parse_chunk_values(
        self, rows: Sequence[Sequence[str]]
    ) -> tuple[list[dict[str, FieldValue]], dict[int, ParsedRow]]:
        """The values ``parse`` gives each row, and by index the rows it parsed whole.

        An import's columns repeat a lot (names, stages, countries, dates), so each
        column's cells are parsed through a memo, a whole column at a time; only
        rows with a cell that cannot be read go through ``parse`` one by one, and
        only those can have problems. Rows parsed whole are in both answers.
        """
        if not rows:
            return [], {}
        if not self._columns:
            every_row = [self.parse(row) for row in rows]
            return [parsed.values for parsed in every_row], dict(enumerate(every_row))
        width = self._width
        shortest = min(map(len, rows))
        if shortest >= width and shortest == max(map(len, rows)):
            # The usual file: every record as wide as the header.
            every_column = list(zip(*rows, strict=True))
            columns = [every_column[column] for column, *_rest in self._columns]
        else:
            # Short rows: their missing cells are empty, as in ``parse``.
            padded = [
                row if len(row) >= width else [*row, *[""] * (width - len(row))] for row in rows
            ]
            # The extra 0th cell keeps itemgetter returning tuples for one column too.
            columns = list(zip(*map(self._picks, padded), strict=True))[:-1]
        outcomes = [
            read(cells, memo)
            for read, memo, cells in zip(self._column_readers, self._memos, columns, strict=True)
        ]
        # Rows with a NUL character in a cell are read by ``parse``, which removes it.
        note_cells = [
            [row[column] if column < len(row) else "" for row in rows]
            for column, _header in self._note_columns
        ]
        failed: set[int] = {
            index
            for cells in (*columns, *note_cells)
            if NUL in "".join(cells)
            for index, text in enumerate(cells)
            if NUL in text
        }
        sparse: set[int] = set()
        for column_outcomes in outcomes:
            if FAILED in column_outcomes:
                failed.update(i for i, value in enumerate(column_outcomes) if value is FAILED)
            if EMPTY in column_outcomes:
                sparse.update(i for i, value in enumerate(column_outcomes) if value is EMPTY)
        targets = self._targets
        if not failed and not sparse:
            all_values = list(map(dict, map(zip, repeat(targets), zip(*outcomes, strict=True))))
        else:
            all_values = []
            for index, row_outcomes in enumerate(zip(*outcomes, strict=True)):
                if index in sparse:
                    all_values.append(
                        {t: v for t, v in zip(targets, row_outcomes, strict=True) if v is not EMPTY}
                    )
                else:
                    all_values.append(dict(zip(targets, row_outcomes, strict=True)))
        # Rows with a cell that failed are parsed whole, the rules included.
        parsed_whole = {index: self.parse(rows[index]) for index in failed}
        if self._row_rules:
            for index, (values, row) in enumerate(zip(all_values, rows, strict=True)):
                if index not in failed:
                    self._apply_row_rules(values, row)
        elif any(Stage.DISQUALIFIED in outcomes[i] for i in self._stage_positions):
            for index, (values, row) in enumerate(zip(all_values, rows, strict=True)):
                if values.get("stage") is Stage.DISQUALIFIED and index not in failed:
                    self._apply_row_rules(values, row)
        if self._note_columns:
            self._add_note_columns(rows, all_values, failed)
        for index, whole in parsed_whole.items():
            all_values[index] = whole.values
        return all_values, parsed_whole

    def _add_note_columns(
        self,
        rows: Sequence[Sequence[str]],
        all_values: list[dict[str, FieldValue]],
        failed: set[int],
    ) -> None:
        """Write the columns kept in the notes into the rows' notes (``parse`` did ``failed``)."""
        for index, (values, row) in enumerate(zip(all_values, rows, strict=True)):
            if index in failed:
                continue
            width = len(row)
            lines = [
                self._note_text(header, text)
                for column, header in self._note_columns
                if column < width and (text := row[column]) and not text.isspace()
            ]
            if lines:
                notes = values.get("notes")
                values["notes"] = with_section(str(notes) if notes else None, lines)

    def _apply_row_rules(self, values: dict[str, FieldValue], cells: Sequence[str]) -> None:
        """What a row's cells mean together: a full name, an opt-out, a disqualification."""
        if FULL_NAME in values:
            first, last = split_full_name(str(values.pop(FULL_NAME)))
            if first and "first_name" not in values:
                values["first_name"] = first
            if last and "last_name" not in values:
                values["last_name"] = last
        if EMAIL_OPT_OUT in values:
            opt_out = Consent(str(values.pop(EMAIL_OPT_OUT)))
            consent = values.get("consent")
            # A stated objection outweighs any other consent column of the same row.
            if opt_out is Consent.DENIED or consent is None or consent == Consent.UNKNOWN:
                values["consent"] = opt_out
        if (
            values.get("stage") is Stage.DISQUALIFIED
            and "disqualification_reason" not in values
            and self._stage_column is not None
        ):
            reason = parse_stage(cells[self._stage_column]).disqualification_reason
            if reason:
                values["disqualification_reason"] = reason
