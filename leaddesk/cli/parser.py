"""The `leaddesk` command line's grammar: every command, its arguments and its help.

Building the parser imports none of the commands' code (a test checks): each
command module imports what it needs when it runs, and an option whose choices
are an enum's values from a heavy module reads them only when they are needed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn, Protocol

from leaddesk import __version__
from leaddesk.cli.arguments import output_file, record_id
from leaddesk.cli.commands import (
    add,
    agenda,
    assign,
    backup,
    backups,
    delete,
    demo,
    done,
    duplicates,
    edit,
    export_csv,
    follow_up,
    import_csv,
    imports,
    info,
    list_leads,
    log,
    merge,
    move,
    restore,
    restore_lead,
    salvage,
    screenshot,
    show,
    snooze,
    trash,
    undo_import,
    undo_merge,
)
from leaddesk.cli.field_options import add_field_options, add_set_option
from leaddesk.core.fields import DONE_KINDS, ActivityKind, Stage, Temperature
from leaddesk.errors import UserError

Handler = Callable[[argparse.Namespace], int]

# As leaddesk.core.agenda.Preset (a test keeps them in step), spelled out because
# the help text is built with the parser, which must not import the agenda code.
WHEN_PRESETS = ("1h", "afternoon", "tomorrow", "next-monday", "week")


class EnumChoices:
    """The values of an enum as an option's choices, read from the enum when first needed.

    So the choices follow the enum (a new member is a new choice) while the enum's
    module is imported only when such an option is parsed or its help is shown.
    """

    def __init__(self, load: Callable[[], Iterable[StrEnum]]) -> None:
        self._load = load
        self._values: tuple[str, ...] | None = None

    def values(self) -> tuple[str, ...]:
        if self._values is None:
            self._values = tuple(member.value for member in self._load())
        return self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self.values())

    def __contains__(self, value: object) -> bool:
        return value in self.values()

    def __len__(self) -> int:
        return len(self.values())


def _duplicate_policies() -> Iterable[StrEnum]:
    from leaddesk.core.import_merge import DuplicatePolicy

    return DuplicatePolicy


def _export_flavours() -> Iterable[StrEnum]:
    from leaddesk.operations.exporting import ExportFlavour

    return ExportFlavour


def _snooze_options() -> Iterable[StrEnum]:
    from leaddesk.core.agenda import SnoozeOption

    return SnoozeOption


DUPLICATE_POLICIES = EnumChoices(_duplicate_policies)
EXPORT_FLAVOURS = EnumChoices(_export_flavours)
SNOOZE_OPTIONS = EnumChoices(_snooze_options)


def add_enum_argument(
    parser: argparse.ArgumentParser, *names: str, choices: EnumChoices, **options: Any
) -> argparse.Action:
    """``parser.add_argument(*names, choices=choices, **options)``, without reading the choices.

    add_argument lists the choices at once (to check the metavar), which would
    import the enum's module; set after it, they are read when used.
    """
    action = parser.add_argument(*names, **options)
    action.choices = choices
    return action


class UsageError(UserError):
    """A command line that could not be understood."""


class Parser(argparse.ArgumentParser):
    """Reports a mistake as a UsageError, which main() turns into one line and status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help').")


class CommandFactory(Protocol):
    def __call__(self, name: str, handler: Handler, help_: str) -> argparse.ArgumentParser: ...


def _positive_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 < value <= 1_000_000:
        raise argparse.ArgumentTypeError("the count must be between 1 and 1000000")
    return value


def _image_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a size like 1280x800")
    size = int(width), int(height)
    if not all(200 <= side <= 8000 for side in size):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000 pixels")
    return size


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="leaddesk",
        description="LeadDesk, an offline lead tracker for small sales teams. "
        "Without a command it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"LeadDesk {__version__}")
    _add_location_options(parser, suppress=False)
    _add_actor_option(parser, suppress=False)
    parser.add_argument(
        "--theme",
        dest="window_theme",
        choices=["system", "light", "dark"],
        default=None,
        help="the window's colours this time (default: Settings → Appearance)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def command(name: str, handler: Handler, help_: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = commands.add_parser(name, help=help_, description=help_)
        _add_location_options(sub, suppress=True)
        _add_actor_option(sub, suppress=True)
        sub.set_defaults(handler=handler)
        return sub

    # The order of `leaddesk --help`.
    _add_lead_commands(command)
    _add_lead_change_commands(command)
    _add_import_export_commands(command)
    _add_follow_up_commands(command)
    _add_merge_command(command)
    _add_undo_import_command(command)
    _add_trash_commands(command)
    _add_backup_commands(command)
    _add_screenshot_command(command)
    _add_salvage_command(command)
    return parser


def _add_location_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    # Accepted before and after the command; SUPPRESS keeps a subcommand from
    # resetting a value given before it.
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="folder for the database, settings, logs and backups "
        "(default: the user data folder; env LEADDESK_DATA_DIR)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        default=default,
        help="any SQLAlchemy database URL instead of the SQLite file in the data folder "
        "(env LEADDESK_DATABASE_URL)",
    )


def _add_actor_option(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    parser.add_argument(
        "--as",
        dest="acting_as",
        metavar="NAME",
        default=argparse.SUPPRESS if suppress else None,
        help="the team member who makes the changes, as recorded in the lead's history "
        '(default: the one marked "me" in Settings → Team)',
    )


def _add_timezone_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="the time zone for days and local times, such as Europe/Berlin "
        "(default: $TZ or the system's)",
    )


def _add_lead_filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--search", default="", metavar="TEXT", help="as in the search box")
    parser.add_argument("--temperature", choices=[t.value for t in Temperature])
    parser.add_argument("--stage", choices=[s.value for s in Stage])


def _add_lead_commands(command: CommandFactory) -> None:
    """info, demo and list."""
    info_command = command(
        "info", info.run, "show the version, the database and how many leads it holds"
    )
    info_command.add_argument("--json", action="store_true", help="print JSON")

    demo_command = command("demo", demo.run, "add realistic demo leads")
    demo_command.add_argument(
        "--count", type=_positive_count, default=50, help="how many (default 50)"
    )
    demo_command.add_argument("--seed", type=int, default=None, help="repeatable demo data")

    listing = command("list", list_leads.run, "list leads")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    _add_lead_filter_options(listing)


def _add_lead_change_commands(command: CommandFactory) -> None:
    """add, show, edit, move and assign: the window's lead actions, one operation each."""
    add_command = command("add", add.run, "add a lead; prints its id")
    add_field_options(add_command)
    add_command.add_argument(
        "--json",
        nargs="?",
        const=True,
        default=False,
        metavar="FILE",
        help="print the new lead as JSON; with FILE ('-' for standard input), add the lead "
        "object or list of them it holds, as 'list --json' prints them",
    )

    show_command = command(
        "show", show.run, "show a lead: its fields, score and why, follow-ups, recent activities"
    )
    show_command.add_argument("lead_id", metavar="LEAD_ID", type=record_id)
    show_command.add_argument("--json", action="store_true", help="print JSON")
    _add_timezone_option(show_command)

    edit_command = command(
        "edit", edit.run, "change some fields of a lead (blank text clears a field)"
    )
    edit_command.add_argument("lead_id", metavar="LEAD_ID", type=record_id)
    add_field_options(edit_command)
    add_set_option(edit_command)
    _add_skip_questions_option(edit_command)
    edit_command.add_argument("--json", action="store_true", help="print the lead as JSON")

    move_command = command(
        "move",
        move.run,
        "move leads to a temperature or a stage, asking what the board asks "
        "(give the missing fields as options)",
    )
    move_command.add_argument("lead_ids", metavar="LEAD_ID", type=record_id, nargs="+")
    target = move_command.add_mutually_exclusive_group(required=True)
    target.add_argument("--temperature", choices=[t.value for t in Temperature])
    target.add_argument("--stage", choices=[s.value for s in Stage])
    move_command.add_argument(
        "--reason", metavar="TEXT", help="why the leads are disqualified (--stage disqualified)"
    )
    _add_skip_questions_option(move_command)
    add_set_option(move_command)
    add_field_options(
        move_command,
        exclude=("temperature", "stage"),
        title="answers (written to the leads that have the field empty)",
    )

    assign_command = command("assign", assign.run, "give leads to a team member")
    assign_command.add_argument("lead_ids", metavar="LEAD_ID", type=record_id, nargs="+")
    assign_command.add_argument("owner", metavar="OWNER", help="a team member's name")


def _add_skip_questions_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--skip-questions",
        action="store_true",
        help="move even when the new tier's questions are unanswered, as Skip on the board "
        "(a disqualification still needs its reason)",
    )


def _add_import_export_commands(command: CommandFactory) -> None:
    """import and export (undo-import comes later in the help, after merge)."""
    importing = command(
        "import", import_csv.run, "import leads from a CSV or Excel file (one transaction)"
    )
    importing.add_argument("file", metavar="FILE", type=Path)
    importing.add_argument(
        "--sheet", metavar="NAME", help="the sheet of an Excel workbook to import (default: first)"
    )
    importing.add_argument(
        "--dry-run", action="store_true", help="report what would happen; change nothing"
    )
    importing.add_argument(
        "--mapping",
        metavar="PRESET_OR_JSON",
        help=(
            "a saved mapping's name, or JSON such as "
            '\'{"E-Mail": "email", "Called on": "first_contacted_at", "Notes": null}\' '
            "(a lead field, or created_at, first_contacted_at, full_name, email_opt_out, "
            "keep_in_notes; null ignores the column)"
        ),
    )
    add_enum_argument(
        importing,
        "--on-duplicate",
        choices=DUPLICATE_POLICIES,
        default="skip",
        help="what to do with a row that matches a lead you have (default: skip)",
    )
    importing.add_argument(
        "--errors", metavar="OUT.csv", type=output_file, help="write the rejected rows and why"
    )
    importing.add_argument("--json", action="store_true", help="print a JSON summary")

    export = command(
        "export",
        export_csv.run,
        "export leads to a CSV file that is safe in Excel, or to an Excel workbook (FILE.xlsx)",
    )
    export.add_argument("file", metavar="FILE", type=output_file)
    _add_lead_filter_options(export)
    add_enum_argument(
        export,
        "--format",
        dest="flavour",
        choices=EXPORT_FLAVOURS,
        default=None,
        help="CSV only: excel-utf8: UTF-8 with BOM, commas (default); utf8: no BOM; "
        "excel-europe: semicolons and decimal commas",
    )


def _add_follow_up_commands(command: CommandFactory) -> None:
    """agenda, follow-up, done, snooze and log."""
    agenda_command = command(
        "agenda",
        agenda.run,
        "list overdue, today's and upcoming follow-ups and the open leads with no next step",
    )
    agenda_output = agenda_command.add_mutually_exclusive_group()
    agenda_output.add_argument("--json", action="store_true", help="print JSON")
    agenda_output.add_argument(
        "--ics",
        metavar="FILE",
        type=output_file,
        help="write every open follow-up to an iCalendar file for calendar apps",
    )
    _add_timezone_option(agenda_command)

    follow_up_command = command("follow-up", follow_up.run, "plan the next step on a lead")
    follow_up_command.add_argument("lead_id", metavar="LEAD_ID", type=record_id)
    follow_up_command.add_argument(
        "when",
        metavar="WHEN",
        help="an ISO date-time (2026-03-30T14:00; local time unless it has a zone), "
        f"a date (9:00 that day), or {', '.join(WHEN_PRESETS)}",
    )
    follow_up_command.add_argument("note", metavar="NOTE", nargs="?", help="what to do")
    follow_up_command.add_argument(
        "--json", action="store_true", help="print the new follow-up as JSON"
    )
    _add_timezone_option(follow_up_command)

    done_command = command("done", done.run, "mark a follow-up done and log it as an activity")
    done_command.add_argument("follow_up_id", metavar="FOLLOW_UP_ID", type=record_id)
    done_command.add_argument(
        "--kind",
        choices=[kind.value for kind in DONE_KINDS],
        default="call",
        help="how it was done (default: call; note when the lead was not contacted)",
    )
    done_command.add_argument(
        "--text", metavar="TEXT", help="what happened (default: the follow-up's note)"
    )

    snooze_command = command("snooze", snooze.run, "put a follow-up off for a while")
    snooze_command.add_argument("follow_up_id", metavar="FOLLOW_UP_ID", type=record_id)
    add_enum_argument(
        snooze_command, "until", metavar="FOR", choices=SNOOZE_OPTIONS, help="15m, 1h or tomorrow"
    )
    _add_timezone_option(snooze_command)

    log_command = command("log", log.run, "log an activity on a lead: a contact or a signal")
    log_command.add_argument("lead_id", metavar="LEAD_ID", type=record_id)
    log_command.add_argument(
        "kind",
        metavar="KIND",
        choices=[kind.value for kind in ActivityKind],
        help=", ".join(kind.value for kind in ActivityKind),
    )
    log_command.add_argument("text", metavar="TEXT", nargs="?", help="what happened")
    log_command.add_argument("--json", action="store_true", help="print the result as JSON")


def _add_merge_command(command: CommandFactory) -> None:
    merge_command = command(
        "merge",
        merge.run,
        "merge lead OTHER_ID into KEEP_ID, keeping the activities, follow-ups and stage "
        "history of both; OTHER_ID goes to the trash",
    )
    merge_command.add_argument("keep_id", metavar="KEEP_ID", type=record_id)
    merge_command.add_argument("other_id", metavar="OTHER_ID", type=record_id)
    merge_command.add_argument(
        "--keep-values",
        action="store_true",
        help="keep every value of KEEP_ID (default: fill its gaps from OTHER_ID and take "
        "the hotter temperature, the further stage, a denied consent and newer values)",
    )
    merge_command.add_argument(
        "--force",
        action="store_true",
        help="merge even when the two leads share no email, phone or name at the same company",
    )
    merge_command.add_argument("--json", action="store_true", help="print JSON")
    listing = command(
        "duplicates", duplicates.run, "list the possible duplicates waiting for review"
    )
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    undo = command(
        "undo-merge",
        undo_merge.run,
        "undo a merge by the number merge printed: both leads come back as they were",
    )
    undo.add_argument("merge_id", metavar="MERGE_ID", type=record_id)


def _add_undo_import_command(command: CommandFactory) -> None:
    """imports and undo-import."""
    listing = command(
        "imports", imports.run, "list past imports and whether each can still be undone"
    )
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    _add_timezone_option(listing)
    undo = command("undo-import", undo_import.run, "undo an import by its batch number")
    undo.add_argument("batch", metavar="BATCH", type=record_id)


def _add_trash_commands(command: CommandFactory) -> None:
    trash_command = command("trash", trash.run, "list the deleted leads, newest first")
    trash_command.add_argument("--json", action="store_true", help="print a JSON array")
    restore_command = command("restore-lead", restore_lead.run, "take leads out of the trash")
    restore_command.add_argument("lead_ids", metavar="LEAD_ID", type=record_id, nargs="+")
    delete_command = command("delete", delete.run, "move leads to the trash")
    delete_command.add_argument("lead_ids", metavar="LEAD_ID", type=record_id, nargs="+")


def _add_backup_commands(command: CommandFactory) -> None:
    backup_command = command(
        "backup",
        backup.run,
        "back the database up now, verified (default: into the backup folder)",
    )
    backup_command.add_argument(
        "file", metavar="FILE", type=Path, nargs="?", help="write the backup to this file"
    )
    backup_command.add_argument("--json", action="store_true", help="print JSON")
    list_command = command("backups", backups.run, "list the backups, newest first")
    list_command.add_argument("--json", action="store_true", help="print JSON")
    restore_command = command(
        "restore",
        restore.run,
        "replace the database with a backup, after backing the current one up",
    )
    restore_command.add_argument(
        "file", metavar="FILE", help="a backup file, or 'latest' for the newest backup"
    )


def _add_screenshot_command(command: CommandFactory) -> None:
    shot = command("screenshot", screenshot.run, "render a view to a PNG file, offscreen")
    shot.add_argument("output", metavar="OUT.png", type=output_file)
    shot.add_argument(
        "--view",
        default="board",
        help="board (default), agenda (the board with the agenda beside it), table (the "
        "lead table), lead:ID (the lead form), panel:ID (the board with that lead in the "
        "side panel), import:FILE.csv (the import wizard's mapping step), "
        "or settings[:scoring|team|lists|reminders|backups|appearance]",
    )
    shot.add_argument("--size", type=_image_size, default=(1280, 800), help="WIDTHxHEIGHT")
    shot.add_argument("--theme", choices=["light", "dark"], default="light")


def _add_salvage_command(command: CommandFactory) -> None:
    rescue = command(
        "salvage",
        salvage.run,
        "save all that can still be read from a damaged database: its leads to OUT.csv "
        "and every table to OUT.sqlite3 (which 'leaddesk restore' accepts)",
    )
    rescue.add_argument("output", metavar="OUT.csv", type=output_file)
