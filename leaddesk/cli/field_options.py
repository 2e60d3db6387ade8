"""A lead's fields as command-line options (``--first-name``, ``--deal-value``, ...).

The options are generated from ``leaddesk.core.fields`` so every field can be
given, and their text is read as the lead form reads what is typed: an amount
('12,000' or '12000.50') as cents, a phone number in international form when it
can be read (else as typed), yes/no, an ISO date, a team member by name, a
choice from its list. A value that cannot be stored is one sentence naming the
option. The same reading serves ``add --json`` (a record as ``list --json``
prints it) and ``--set FIELD=VALUE``.

Building the options imports only ``core.fields`` (the parser must stay light);
reading values imports the parsers when a command runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from leaddesk.cli.arguments import MAX_ID
from leaddesk.core.fields import (
    FIELDS_BY_NAME,
    LEAD_FIELDS,
    PREFERRED_CHANNELS,
    Consent,
    FieldKind,
    LeadField,
    Stage,
    Temperature,
)
from leaddesk.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy import Connection

# What `list --json` adds to a lead's fields: accepted in `add --json` input (so
# a listed lead can be fed back) and ignored, since the new lead gets its own.
READ_ONLY_KEYS = frozenset(
    {
        "id",
        "score",
        "next_follow_up",
        "first_contacted_at",
        "created_at",
        "updated_at",
        "version",
        "stage_history",
        "score_reasons",
        "suggested_temperature",
        "completeness",
    }
)

_FIXED_CHOICES: dict[str, tuple[str, ...]] = {
    "temperature": tuple(t.value for t in Temperature),
    "stage": tuple(s.value for s in Stage),
    "consent": tuple(c.value for c in Consent),
}

_METAVARS: dict[FieldKind, str] = {
    FieldKind.EMAIL: "EMAIL",
    FieldKind.PHONE: "PHONE",
    FieldKind.URL: "URL",
    FieldKind.DATE: "YYYY-MM-DD",
    FieldKind.DATETIME: "DATE_TIME",
    FieldKind.BOOL: "yes|no",
    FieldKind.MONEY: "AMOUNT",
    FieldKind.INTEGER: "N",
    FieldKind.OWNER: "NAME",
}


def flag(name: str) -> str:
    """'budget_range' -> '--budget-range'."""
    return "--" + name.replace("_", "-")


def dest(name: str) -> str:
    return f"field_{name}"


def add_field_options(
    parser: argparse.ArgumentParser, *, exclude: Iterable[str] = (), title: str = "lead fields"
) -> None:
    """One option per lead field (but ``exclude``); blank text clears a field."""
    group = parser.add_argument_group(title)
    left_out = set(exclude)
    for field in LEAD_FIELDS:
        if field.name in left_out:
            continue
        options: dict[str, Any] = {"dest": dest(field.name), "help": _help(field)}
        if field.name in _FIXED_CHOICES:
            options["choices"] = _FIXED_CHOICES[field.name]
        else:
            options["metavar"] = _METAVARS.get(field.kind, "TEXT")
        group.add_argument(flag(field.name), **options)


def add_set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="set_values",
        metavar="FIELD=VALUE",
        action="append",
        default=[],
        help="any lead field by its name, such as budget_range=10k-50k (may be repeated)",
    )


def _help(field: LeadField) -> str:
    if field.name == "preferred_channel":
        return f"{field.label}: {', '.join(PREFERRED_CHANNELS)}"
    if field.name == "disqualification_reason":
        return f"{field.label}: one of the list in Settings → Lists"
    if field.kind is FieldKind.MONEY:
        return f"{field.label}, such as 12,000 or 12000.50"
    return field.label


def given_texts(args: argparse.Namespace) -> dict[str, str]:
    """The fields given as options or with ``--set``, as typed (field name -> text)."""
    texts = {
        field.name: value
        for field in LEAD_FIELDS
        if (value := getattr(args, dest(field.name), None)) is not None
    }
    for item in getattr(args, "set_values", None) or []:
        name, equals, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if not equals or name not in FIELDS_BY_NAME:
            raise UserError(
                f"'{item}' is not FIELD=VALUE with a lead field such as budget_range=10k-50k."
            )
        if name in texts and texts[name] != value:
            raise UserError(f"{FIELDS_BY_NAME[name].label} is given twice, with two values.")
        texts[name] = value
    return texts


@dataclass(frozen=True)
class ValueReader:
    """Reads the text of lead fields against the database's lists and team."""

    default_region: str | None
    disqualification_reasons: tuple[str, ...]
    team: Mapping[str, str]  # lower-case name -> name as the team spells it
    zone: dt.tzinfo

    @classmethod
    def load(cls, connection: Connection) -> ValueReader:
        from leaddesk.core.agenda import user_zone
        from leaddesk.storage.queries import all_owner_names
        from leaddesk.storage.settings_store import read_settings

        settings = read_settings(connection)
        team = {name.lower(): name for name in all_owner_names(connection).values()}
        return cls(
            default_region=settings["default_region"] or None,
            disqualification_reasons=tuple(settings["disqualification_reasons"]),
            team=team,
            zone=user_zone(None),
        )

    def read_texts(self, texts: Mapping[str, str], *, label: str = "") -> dict[str, Any]:
        """Each field's text as the value to store (blank: None)."""
        return {name: self.read_text(name, text, label=label) for name, text in texts.items()}

    def read_text(self, name: str, text: str, *, label: str = "") -> Any:
        from leaddesk.core.csv_import.values import CellValueError

        field = FIELDS_BY_NAME[name]
        typed = text.strip()
        if not typed:
            return None
        reader = _readers().get(field.kind)
        if name in _FIXED_CHOICES:
            if typed.lower() not in _FIXED_CHOICES[name]:
                allowed = ", ".join(_FIXED_CHOICES[name])
                raise UserError(f"{field.label} must be one of {allowed}, not '{typed}'.")
            return typed.lower()
        try:
            if name in ("preferred_channel", "disqualification_reason"):
                return self._choice(field, typed)
            if field.kind is FieldKind.OWNER:
                return self._team_member(typed)
            if field.kind is FieldKind.PHONE:
                return self._phone(typed)
            if field.kind is FieldKind.DATETIME:
                from leaddesk.core.csv_import.value_dates import parse_datetime

                return parse_datetime(typed, timezone=self.zone)
            return typed if reader is None else _in_range(field, reader(typed))
        except CellValueError:
            where = label or flag(name)
            raise UserError(
                f"{field.label} ({where}) {_EXPECTED.get(field.kind, 'is not valid')}, "
                f"not '{typed}'."
            ) from None

    def read_json(self, record: Mapping[str, Any], *, label: str = "") -> dict[str, Any]:
        """A lead object as ``list --json`` prints it: typed JSON values, or text."""
        values: dict[str, Any] = {}
        for name, value in record.items():
            if name in READ_ONLY_KEYS:
                continue
            field = FIELDS_BY_NAME.get(name)
            if field is None:
                raise UserError(f"{label}'{name}' is not a lead field.")
            if value is None:
                values[name] = None
            elif isinstance(value, str):
                try:
                    values[name] = self.read_text(name, value, label=f'"{name}"')
                except UserError as error:
                    raise UserError(f"{label}{error}") from None
            else:
                values[name] = _typed_json(field, value, label)
        return values

    def _choice(self, field: LeadField, typed: str) -> str:
        choices = (
            PREFERRED_CHANNELS
            if field.name == "preferred_channel"
            else self.disqualification_reasons
        )
        for choice in choices:
            if choice.lower() == typed.lower():
                return choice
        raise UserError(f"{field.label} must be one of {', '.join(choices)}, not '{typed}'.")

    def _team_member(self, typed: str) -> str:
        name = self.team.get(" ".join(typed.split()).lower())
        if name is None:
            raise UserError(
                f"There is no team member called '{typed}'; add them in Settings → Team first."
            )
        return name

    def _phone(self, typed: str) -> str:
        from leaddesk.core.csv_import.value_contacts import parse_phone
        from leaddesk.core.csv_import.values import CellValueError

        try:
            return parse_phone(typed, self.default_region)
        except CellValueError:
            return typed  # as the form: kept as typed when it cannot be read


def _in_range(field: LeadField, value: Any) -> Any:
    """A number the form would take: not negative, and small enough to store."""
    if field.kind in (FieldKind.MONEY, FieldKind.INTEGER) and isinstance(value, int):
        if value < 0:
            raise UserError(f"{field.label} cannot be negative.")
        if value > MAX_ID:
            raise UserError(f"{field.label} is too large.")
    return value


def _typed_json(field: LeadField, value: Any, label: str) -> Any:
    """A JSON number or boolean for ``field``: money in currency units, as list prints it."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if field.kind is FieldKind.BOOL and isinstance(value, bool):
        return value
    if field.kind is FieldKind.MONEY and is_number and abs(value) < 1e17:
        return _in_range(field, round(value * 100))
    if field.kind is FieldKind.INTEGER and isinstance(value, int) and not isinstance(value, bool):
        return _in_range(field, value)
    if field.kind is FieldKind.OWNER and isinstance(value, int) and not isinstance(value, bool):
        raise UserError(f"{label}{field.label} is a team member's name, not a number.")
    expected = _EXPECTED.get(field.kind, "must be text")
    raise UserError(f"{label}{field.label} {expected}, not {value!r}.")


@cache
def _readers() -> dict[FieldKind, Callable[[str], Any]]:
    """The value parsers by kind, imported at the first value read, not with the parser."""
    from leaddesk.core.csv_import.value_dates import parse_date
    from leaddesk.core.csv_import.value_labels import parse_bool
    from leaddesk.core.csv_import.value_numbers import parse_integer, parse_money_cents

    return {
        FieldKind.MONEY: parse_money_cents,
        FieldKind.INTEGER: parse_integer,
        FieldKind.BOOL: parse_bool,
        FieldKind.DATE: parse_date,
    }


_EXPECTED: dict[FieldKind, str] = {
    FieldKind.MONEY: "must be an amount such as 12,000 or 12000.50",
    FieldKind.INTEGER: "must be a whole number of zero or more, such as 50",
    FieldKind.BOOL: "must be yes or no",
    FieldKind.DATE: "must be a date such as 2026-12-31",
    FieldKind.DATETIME: "must be a date and time such as 2026-12-31T09:00",
    FieldKind.OWNER: "must be a team member's name",
}
