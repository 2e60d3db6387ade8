"""``RowParser``: a ``ColumnMapping`` applied to whole rows of a CSV file.

It runs for every row of files with a million rows, so every parser settles the
common case with cheap string work and leaves the slow libraries (phonenumbers,
email-validator) to the rare values that need them, memoised. The import reads a
chunk of rows at a time with ``parse_chunk``: column by column, through a memo
per column (names, stages, dates repeat) and whole-column checks for text,
emails and phones; it gives exactly what ``parse`` gives row by row, which the
wizard's preview uses.

Per-column decisions that one value cannot settle -- whether 03/04/2026 is in
March or April, whether 1,234 is a thousand or one -- are made from a sample of
the column (``detect_date_order``, ``detect_decimal_mark``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, partial
from itertools import repeat
from operator import itemgetter, methodcaller
from typing import Any

from leaddesk.core.csv_import.export_headers import is_leaddesk_export
from leaddesk.core.csv_import.full_names import split_full_name
from leaddesk.core.csv_import.imported_values import with_section
from leaddesk.core.csv_import.mapping import (
    CREATED_AT,
    EMAIL_OPT_OUT,
    FULL_NAME,
    KEEP_IN_NOTES,
    ColumnMapping,
)
from leaddesk.core.csv_import.safety import ESCAPE, unneutralise
from leaddesk.core.csv_import.value_contacts import (
    PHONE_NOISE,
    country_of,
    domain_problem,
    national_to_e164,
    parse_email,
    parse_phone,
    parse_phone_as_typed,
)
from leaddesk.core.csv_import.value_dates import (
    DateOrder,
    detect_date_order,
    parse_date,
    parse_datetime,
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
from leaddesk.core.validation import SIMPLE_EMAIL as _SIMPLE_EMAIL

# A whole phone column (joined by newlines) of numbers in international form
# whose digits _phone_outcomes may read: ASCII, no leading 0, 6 to 17 of them.
_PLUS_NUMBERS = re.compile(r"(?:\+[1-9][0-9]{5,16}\n)*\+[1-9][0-9]{5,16}", re.ASCII)
_HEAD = itemgetter(slice(0, 7))


@cache
def _is_own_e164(head: str, length: int) -> bool:
    """Whether every '+' number of ``length`` characters starting ``head`` is its own E.164.

    That is, what ``national_to_e164`` gives for each is the number itself:
    its country is known, its national part does not start with the national
    prefix (which would need the whole number) and has a possible length.
    Seven characters hold '+', a country code of up to three digits and the
    start of the national part, where the national prefix would be.
    """
    country = country_of(head[1:4])
    if country is None:
        return False
    code_length, rules = country
    start = 1 + code_length
    prefix = rules.national_prefix
    if start + len(prefix) > len(head) or (prefix and head[start:].startswith(prefix)):
        return False
    # A national part that starts as theirs does and is as long: the rest of
    # its digits change nothing of the above.
    return national_to_e164(head[start:] + "5" * (length - len(head)), rules) is not None


def _phone_outcomes(cells: Sequence[str], memo: _CellMemo, *, as_typed: bool = False) -> list[Any]:
    """A phone column's outcomes; '+' numbers are settled here without the general route.

    What ``parse_phone`` (or ``parse_phone_as_typed``) returns for a number in
    international form whose country ``_fast_e164`` reads; any other cell goes
    through the memo as in ``parse``.
    """
    typed = list(map(str.strip, cells))
    compact = list(map(PHONE_NOISE.sub, repeat(""), typed))
    if _PLUS_NUMBERS.fullmatch("\n".join(compact)) and not any(map(_starts_escaped, cells)):
        # The usual column: every number in international form. Numbers alike in
        # their first characters and length are settled together (_is_own_e164).
        own = list(map(_is_own_e164, map(_HEAD, compact), map(len, compact)))
        if all(own):
            return typed if as_typed else compact
    outcomes: list[Any] = []
    append = outcomes.append
    for index, number in enumerate(compact):
        e164 = None
        if number[:1] == "+" and cells[index][:1] != ESCAPE:
            digits = number[1:]
            if (
                digits.isascii()
                and digits.isdigit()
                and digits[0] != "0"
                and 6 <= len(digits) <= 17
            ):
                country = country_of(digits[:3])
                if country is not None:
                    e164 = national_to_e164(digits[country[0] :], country[1])
        if e164 is None:
            append(memo[cells[index]])
        else:
            append(typed[index] if as_typed else e164)
    return outcomes


class CellAction(StrEnum):
    """What the import did with a cell it could not take as it is."""

    KEPT_AS_TYPED = "kept"
    """Stored in its field as typed (an email that looks wrong): a warning."""
    NOTED = "noted"
    """Not readable by its field: the field stays empty, the text goes to the notes."""
    CLEANED = "cleaned"
    """Stored without the NUL characters it held, which no database field keeps."""


@dataclass(frozen=True, slots=True)
class CellProblem:
    """A cell whose text could not be taken as it is."""

    column: int
    header: str
    target: str
    text: str
    reason: str
    action: CellAction

    @property
    def kept(self) -> bool:
        """True when the field got a value (as typed, or cleaned); False when noted."""
        return self.action is not CellAction.NOTED

    @property
    def noted(self) -> bool:
        """Whether the row counts as imported with a note for this cell."""
        return self.action is not CellAction.KEPT_AS_TYPED


NUL = "\x00"
NUL_REASON = "It held NUL characters, which were removed."


@dataclass(slots=True)
class ParsedRow:
    values: dict[str, FieldValue] = field(default_factory=dict)
    """Field name -> value; columns that are empty in this row are absent."""
    problems: list[CellProblem] = field(default_factory=list)


CellParser = Callable[[str], Any]


_TEXT_KINDS = frozenset({FieldKind.TEXT, FieldKind.LONG_TEXT, FieldKind.URL, FieldKind.OWNER})
_DATE_TARGETS = frozenset(
    {CREATED_AT}
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
    ) -> None:
        self.mapping = mapping
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
                target in (CREATED_AT, EMAIL_OPT_OUT)
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
            _CellMemo(partial(self._outcome, parse_cell, typed))
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
                    noted.append((column, _note_line(header, text)))
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
        return _note_line(header, text)

    def _column_reader(
        self, target: str, parse_cell: CellParser, typed: bool
    ) -> Callable[[Sequence[str], _CellMemo], list[Any]]:
        """How parse_chunk reads a whole column of ``target``."""
        if parse_cell is str.strip and not typed:
            return _text_outcomes
        if parse_cell is parse_email:
            return _email_outcomes
        if target in FIELDS_BY_NAME and FIELDS_BY_NAME[target].kind is FieldKind.PHONE:
            return partial(_phone_outcomes, as_typed=self.phones_as_typed)
        return _memo_outcomes

    def _outcome(self, parse_cell: CellParser, typed: bool, text: str) -> Any:
        """What ``parse`` makes of one cell: its value, _EMPTY, or _FAILED."""
        if not text or text.isspace() or (typed and text in PLACEHOLDERS):
            return _EMPTY
        if self.undo_export_escaping and text[0] == ESCAPE:
            text = unneutralise(text)
        try:
            return parse_cell(text)
        except CellValueError:
            return _FAILED

    def parse_chunk(self, rows: Sequence[Sequence[str]]) -> list[ParsedRow]:
        """``[self.parse(row) for row in rows]``, column by column.

        An import's columns repeat a lot (names, stages, countries, dates), so each
        column's cells are parsed through a memo, a whole column at a time; only
        rows with a cell that cannot be read go through ``parse`` one by one.
        """
        if not rows:
            return []
        if not self._columns:
            return [self.parse(row) for row in rows]
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
            if _FAILED in column_outcomes:
                failed.update(i for i, value in enumerate(column_outcomes) if value is _FAILED)
            if _EMPTY in column_outcomes:
                sparse.update(i for i, value in enumerate(column_outcomes) if value is _EMPTY)
        targets = self._targets
        if not failed and not sparse:
            all_values = list(map(dict, map(zip, repeat(targets), zip(*outcomes, strict=True))))
        else:
            all_values = []
            for index, row_outcomes in enumerate(zip(*outcomes, strict=True)):
                if index in sparse:
                    all_values.append(
                        {
                            t: v
                            for t, v in zip(targets, row_outcomes, strict=True)
                            if v is not _EMPTY
                        }
                    )
                else:
                    all_values.append(dict(zip(targets, row_outcomes, strict=True)))
        parsed = [ParsedRow(values, []) for values in all_values]
        # Rows with a cell that failed are parsed whole, the rules included.
        for index in failed:
            parsed[index] = self.parse(rows[index])
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
        return parsed

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


# parse_chunk's outcomes of a cell that ``parse`` leaves out or must explain.
_EMPTY: Any = object()
_FAILED: Any = object()
_MEMO_LIMIT = 16_384
# email_problem's limit: longer addresses are judged by parse_email itself.
_EMAIL_MAX = 320


_starts_escaped = methodcaller("startswith", ESCAPE)


def _note_line(header: str, text: str) -> str:
    """'Rating: Tier 1': one line of the notes' imported-values section."""
    return f"{header}: {' '.join(text.split())}"


_strip_angles = methodcaller("strip", "<>")


def _memo_outcomes(cells: Sequence[str], memo: _CellMemo) -> list[Any]:
    return list(map(memo.__getitem__, cells))


def _text_outcomes(cells: Sequence[str], memo: _CellMemo) -> list[Any]:
    """A plain text column's outcomes: the stripped text, at C speed for most cells."""
    outcomes: list[Any] = list(map(str.strip, cells))
    if "" in outcomes:
        for index, value in enumerate(outcomes):
            if not value:
                outcomes[index] = _EMPTY
    if any(map(_starts_escaped, cells)):
        for index, text in enumerate(cells):
            if text[:1] == ESCAPE:
                outcomes[index] = memo[text]
    return outcomes


def _email_outcomes(cells: Sequence[str], memo: _CellMemo) -> list[Any]:
    """An email column's outcomes; plain addresses are settled here without a call each.

    What ``parse_email`` returns for an address that ``normalize_email`` lower-cases
    into the shape ``email_problem`` accepts at once; every other cell (empty,
    escaped, odd, too long) goes through the memo as in ``parse``.
    """
    lowered: list[Any] = list(
        map(str.lower, map(str.strip, map(_strip_angles, map(str.strip, cells))))
    )
    matches = list(map(_SIMPLE_EMAIL.fullmatch, lowered))
    if None in matches:
        # Addresses whose only unusual part is the domain (an international one,
        # say) are judged as email_problem judges them: by the domain alone.
        for index, match in enumerate(matches):
            if match is None:
                if domain_problem(lowered[index]) is None:
                    continue  # valid: parse_email gives the lowered address
                lowered[index] = memo[cells[index]]
    if any(map(_starts_escaped, cells)) or max(map(len, cells)) > _EMAIL_MAX:
        for index, text in enumerate(cells):
            if text[:1] == ESCAPE or len(text) > _EMAIL_MAX:
                lowered[index] = memo[text]
    return lowered


class _CellMemo(dict[str, Any]):
    """One column's cell outcomes by text, computed on first sight (bounded)."""

    __slots__ = ("_compute",)

    def __init__(self, compute: Callable[[str], Any]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, text: str) -> Any:
        if len(self) >= _MEMO_LIMIT:
            self.clear()
        outcome = self[text] = self._compute(text)
        return outcome
