"""The `leaddesk` command: opens the window, or runs one scriptable command.

The exit status is a contract: 0 success, 2 a user mistake (bad option, missing
file, bad value) reported in one sentence on stderr, 1 anything else. Qt is
imported only by the commands that show something.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from leaddesk import __version__
from leaddesk.cli_follow_ups import add_commands as add_follow_up_commands
from leaddesk.cli_merge import add_commands as add_merge_commands
from leaddesk.core.fields import Stage, Temperature
from leaddesk.errors import SystemRequirementError, UserError

log = logging.getLogger("leaddesk")

# Spelled out here so that building the parser imports none of the import code.
DUPLICATE_POLICIES = ("skip", "fill", "overwrite", "create")
EXPORT_FLAVOURS = ("excel-utf8", "utf8", "excel-europe")


@contextmanager
def _importing() -> Iterator[None]:
    """No cyclic garbage collection while heavy modules are imported.

    Imports make a great many objects, none of them garbage, which every
    collection walks again: pausing saves about a tenth of the start-up of
    `leaddesk export` and `leaddesk import` (~20 ms of ~200 ms).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class UsageError(UserError):
    """A command line that could not be understood."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help').")


def _positive_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 < value <= 1_000_000:
        raise argparse.ArgumentTypeError("the count must be between 1 and 1000000")
    return value


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a size like 1280x800")
    size = int(width), int(height)
    if not all(200 <= side <= 8000 for side in size):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000 pixels")
    return size


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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="leaddesk",
        description="LeadDesk, an offline lead tracker for small sales teams. "
        "Without a command it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"LeadDesk {__version__}")
    _add_location_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, handler: Callable[[argparse.Namespace], int], help_: str) -> Any:
        sub = commands.add_parser(name, help=help_, description=help_)
        _add_location_options(sub, suppress=True)
        sub.set_defaults(handler=handler)
        return sub

    info = command("info", _cmd_info, "show the version, the database and how many leads it holds")
    info.add_argument("--json", action="store_true", help="print JSON")

    demo = command("demo", _cmd_demo, "add realistic demo leads")
    demo.add_argument("--count", type=_positive_count, default=50, help="how many (default 50)")
    demo.add_argument("--seed", type=int, default=None, help="repeatable demo data")

    listing = command("list", _cmd_list, "list leads")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.add_argument("--search", default="", metavar="TEXT", help="as in the search box")
    listing.add_argument("--temperature", choices=[t.value for t in Temperature])
    listing.add_argument("--stage", choices=[s.value for s in Stage])

    importing = command("import", _cmd_import, "import leads from a CSV file (one transaction)")
    importing.add_argument("file", metavar="FILE", type=Path)
    importing.add_argument(
        "--dry-run", action="store_true", help="report what would happen; change nothing"
    )
    importing.add_argument(
        "--mapping",
        metavar="PRESET_OR_JSON",
        help='a saved mapping\'s name, or JSON such as \'{"E-Mail": "email", "Notes": null}\'',
    )
    importing.add_argument(
        "--on-duplicate",
        choices=DUPLICATE_POLICIES,
        default="skip",
        help="what to do with a row that matches a lead you have (default: skip)",
    )
    importing.add_argument(
        "--errors", metavar="OUT.csv", type=Path, help="write the rejected rows and why"
    )
    importing.add_argument("--json", action="store_true", help="print a JSON summary")

    export = command("export", _cmd_export, "export leads to a CSV file that is safe in Excel")
    export.add_argument("file", metavar="FILE", type=Path)
    export.add_argument("--search", default="", metavar="TEXT", help="as in the search box")
    export.add_argument("--temperature", choices=[t.value for t in Temperature])
    export.add_argument("--stage", choices=[s.value for s in Stage])
    export.add_argument(
        "--format",
        dest="flavour",
        choices=EXPORT_FLAVOURS,
        default="excel-utf8",
        help="excel-utf8: UTF-8 with BOM, commas (default); utf8: no BOM; "
        "excel-europe: semicolons and decimal commas",
    )

    add_follow_up_commands(command)
    add_merge_commands(command)

    undo = command("undo-import", _cmd_undo_import, "undo an import by its batch number")
    undo.add_argument("batch", metavar="BATCH", type=int)

    shot = command("screenshot", _cmd_screenshot, "render a view to a PNG file, offscreen")
    shot.add_argument("output", metavar="OUT.png", type=Path)
    shot.add_argument(
        "--view",
        default="board",
        help="board (default), agenda (the board with the agenda beside it), lead:ID (the "
        "lead form), panel:ID (the board with that lead in the side panel), "
        "import:FILE.csv (the import wizard's mapping step), "
        "or settings[:scoring|team|lists]",
    )
    shot.add_argument("--size", type=_size, default=(1280, 800), help="WIDTHxHEIGHT")
    shot.add_argument("--theme", choices=["light", "dark"], default="light")
    return parser


def _context(args: argparse.Namespace) -> Any:
    from leaddesk.operations.context import OperationContext
    from leaddesk.storage.database import open_database, resolve_location

    location = resolve_location(args.data_dir, args.database_url)
    return OperationContext(db=open_database(location))


def _cmd_info(args: argparse.Namespace) -> int:
    from leaddesk.storage.migrate import current_revision
    from leaddesk.storage.queries import count_leads

    ctx = _context(args)
    with ctx.db.reading() as connection:
        total = count_leads(connection)
    info = {
        "version": __version__,
        "database": ctx.db.display_url,
        "schema_revision": current_revision(ctx.db.engine),
        "leads": total,
    }
    if args.json:
        print(json.dumps(info))
    else:
        print(f"LeadDesk {info['version']}")
        print(f"Database: {info['database']} (schema {info['schema_revision']})")
        print(f"Leads: {total}")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from leaddesk.operations.demo import add_demo_leads

    ctx = _context(args)
    changes = add_demo_leads(ctx, args.count, seed=args.seed)
    print(f"Added {len(changes.created)} demo leads to {ctx.db.display_url}.")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from leaddesk.storage.queries import LeadFilter, lead_list_query
    from leaddesk.storage.records import lead_record

    ctx = _context(args)
    lead_filter = LeadFilter(search=args.search, temperature=args.temperature, stage=args.stage)
    with ctx.db.reading() as connection:
        rows = connection.execute(lead_list_query(ctx.db.dialect, lead_filter))
        records = [lead_record(row) for row in rows]
        if args.json:
            from leaddesk.operations.lead_listing import add_list_extras

            add_list_extras(connection, records, ctx.clock.now())
    if args.json:
        # One lead per line, each by the C encoder: indent= would make json use its
        # pure-Python encoder, several times slower on 100,000 leads.
        sys.stdout.write("[\n")
        sys.stdout.write(",\n".join(json.dumps(record, ensure_ascii=False) for record in records))
        sys.stdout.write("\n]\n")
        return 0
    for record in records:
        name = " ".join(filter(None, (record["first_name"], record["last_name"])))
        print(
            f"{record['id']:>6}  {record['temperature']:<4}  {record['stage']:<12}  "
            f"{record['score']:>3}  {name or record['email'] or ''}"
            f"{'  · ' + record['company'] if record['company'] else ''}"
        )
    print(f"{len(records)} lead{'s' if len(records) != 1 else ''}", file=sys.stderr)
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    with _importing():
        from leaddesk.operations.importing import (
            DuplicatePolicy,
            ImportOptions,
            import_csv,
            prepare_import,
            preset_for_headers,
            resolve_mapping,
        )

    errors_path: Path | None = args.errors
    if errors_path is not None and not errors_path.parent.resolve().is_dir():
        raise UserError(f"The folder {errors_path.parent} does not exist.")
    ctx = _context(args)
    fmt, mapping = prepare_import(args.file)
    if args.mapping:
        mapping = resolve_mapping(ctx, args.mapping, fmt.headers)
    elif (preset := preset_for_headers(ctx, fmt.headers)) is not None:
        from leaddesk.core.csv_import.mapping import apply_preset

        mapping = apply_preset(preset, fmt.headers)
        print(f"Using the saved mapping '{preset.name}'.", file=sys.stderr)
    options = ImportOptions(
        fmt=fmt,
        mapping=mapping,
        policy=DuplicatePolicy(args.on_duplicate),
        dry_run=args.dry_run,
    )
    result = import_csv(ctx, args.file, options)
    if errors_path is not None:
        result.write_error_report(errors_path)
    summary = {
        "batch": result.batch_id,
        "created": result.created,
        "updated": result.updated,
        "skipped": result.skipped,
        "rejected": result.rejected,
    }
    if args.json:
        print(json.dumps(summary))
        return 0
    verb = "Would import" if args.dry_run else "Imported"
    print(
        f"{verb} {args.file.name}: {result.created} created, {result.updated} updated, "
        f"{result.skipped} skipped, {result.rejected} rejected"
        + (
            f" (batch {result.batch_id}; undo with 'leaddesk undo-import {result.batch_id}')."
            if result.batch_id is not None
            else "."
        )
    )
    for rejected in result.rejected_sample[:5]:
        print(f"  line {rejected.line_number}: {rejected.reason}", file=sys.stderr)
    if result.rejected > 5 and errors_path is None:
        print("  … use --errors OUT.csv for the full list.", file=sys.stderr)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    with _importing():
        from leaddesk.operations.exporting import ExportFlavour, export_leads
        from leaddesk.storage.queries import LeadFilter

        ctx = _context(args)
    lead_filter = LeadFilter(search=args.search, temperature=args.temperature, stage=args.stage)
    count = export_leads(
        ctx, args.file, lead_filter=lead_filter, flavour=ExportFlavour(args.flavour)
    )
    print(f"Exported {count} lead{'s' if count != 1 else ''} to {args.file}.")
    return 0


def _cmd_undo_import(args: argparse.Namespace) -> int:
    from leaddesk.operations.importing import undo_import

    ctx = _context(args)
    changes = undo_import(ctx, args.batch)
    print(
        f"Undid import {args.batch}: removed {len(changes.deleted)} leads, "
        f"restored {len(changes.updated)}."
    )
    return 0


def _parse_view(text: str) -> tuple[str, str | None]:
    if text in ("board", "agenda"):
        return text, None
    kind, _, argument = text.partition(":")
    if kind in ("lead", "panel") and argument.isdigit():
        return kind, argument
    if kind == "import" and argument:
        return "import", argument
    if kind == "settings" and argument in ("", "scoring", "team", "lists", "reminders"):
        return text, None  # the Settings dialog, on the tab named after the colon
    raise UserError(
        f"'{text}' is not a view; use board, agenda, lead:ID, panel:ID, import:FILE.csv "
        "or settings."
    )


def _cmd_screenshot(args: argparse.Namespace) -> int:
    output: Path = args.output
    view, argument = _parse_view(args.view)
    if not output.parent.resolve().is_dir():
        raise UserError(f"The folder {output.parent} does not exist.")
    if output.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        raise UserError(f"{output.name} should end in .png.")
    ctx = _context(args)
    if view == "import" and argument is not None:
        if not Path(argument).is_file():
            raise UserError(f"There is no file {argument}.")
        from leaddesk.ui.import_wizard.screenshot import render_mapping_page

        render_mapping_page(ctx, argument, output, size=args.size, theme=args.theme)
        print(f"Saved {output}.")
        return 0
    lead_id = int(argument) if view in ("lead", "panel") and argument is not None else None
    if lead_id is not None:
        from leaddesk.storage.queries import lead_row

        with ctx.db.reading() as connection:
            if lead_row(connection, lead_id) is None:
                raise UserError(f"There is no lead with id {lead_id}.")
    from leaddesk.ui.screenshot import render_screenshot

    render_screenshot(ctx, output, view=view, lead_id=lead_id, size=args.size, theme=args.theme)
    print(f"Saved {output}.")
    return 0


def _cmd_window(args: argparse.Namespace) -> int:
    from leaddesk.ui.platform_check import check_can_show_window

    check_can_show_window()
    ctx = _context(args)
    from leaddesk.ui.app import run_app

    return run_app(ctx)


def _setup_logging(args: argparse.Namespace) -> Path | None:
    """Log to a file in the data folder; the terminal only gets one-line messages."""
    from logging.handlers import RotatingFileHandler

    from leaddesk.storage.database import resolve_location

    try:
        log_dir = resolve_location(args.data_dir, args.database_url).data_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        log_file = log_dir / "leaddesk.log"
        handler = RotatingFileHandler(log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return log_file


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        print(f"leaddesk: {error}", file=sys.stderr)
        return 2
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", _cmd_window)
    with _importing():
        # Imports the storage layer, and so SQLAlchemy.
        log_file = _setup_logging(args)
    try:
        status = handler(args)
        # Flush while a closed pipe can still be handled below; at exit Python
        # would print "Exception ignored ... BrokenPipeError" and exit 120.
        sys.stdout.flush()
        return status
    except UserError as error:
        print(f"leaddesk: {error}", file=sys.stderr)
        return 2
    except SystemRequirementError as error:
        print(f"leaddesk: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`leaddesk list | head`): not an error worth a word.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as error:
        log.exception("unexpected error in %s", getattr(args, "command", None) or "window")
        where = f"; details are in {log_file}" if log_file else ""
        summary = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
        print(f"leaddesk: unexpected error: {summary}{where}", file=sys.stderr)
        return 1
