"""``leaddesk screenshot OUT.png``: render a view to an image file, offscreen.

Qt is imported only once the arguments are known to be good, by the module
that renders the view: a mistake on the command line costs no Qt start-up.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from leaddesk.cli.arguments import record_id
from leaddesk.cli.context import open_context
from leaddesk.errors import UserError

SETTINGS_TABS = ("", "scoring", "team", "lists", "reminders", "backups", "appearance")


def parse_view(text: str) -> tuple[str, str | None]:
    """``--view`` as (view, argument): ("lead", "12") for lead:12, ("board", None) for board."""
    if text in ("board", "agenda", "table"):
        return text, None
    kind, _, argument = text.partition(":")
    if kind in ("lead", "panel") and argument.isdigit():
        try:
            return kind, str(record_id(argument))
        except argparse.ArgumentTypeError as error:
            raise UserError(f"--view {text}: {error}.") from None
    if kind == "import" and argument:
        return "import", argument
    if kind == "settings" and argument in SETTINGS_TABS:
        return text, None  # the Settings dialog, on the tab named after the colon
    raise UserError(
        f"'{text}' is not a view; use board, agenda, table, lead:ID, panel:ID, import:FILE.csv "
        "or settings."
    )


def run(args: argparse.Namespace) -> int:
    output: Path = args.output
    view, argument = parse_view(args.view)
    if not output.parent.resolve().is_dir():
        raise UserError(f"The folder {output.parent} does not exist.")
    if output.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        raise UserError(f"{output.name} should end in .png.")
    ctx = open_context(args)
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
