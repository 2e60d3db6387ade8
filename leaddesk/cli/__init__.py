"""The `leaddesk` command: opens the window, or runs one scriptable command.

The exit status is a contract: 0 success, 2 a user mistake (bad option, missing
file, bad value) reported in one sentence on stderr, 1 anything else. Qt is
imported only by the commands that show something.

The commands are in ``leaddesk.cli.commands`` (one module each), their
arguments in ``leaddesk.cli.parser``, and the database a command works on is
opened by ``leaddesk.cli.context``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from leaddesk.cli.commands import window
from leaddesk.cli.gc_pause import paused_gc
from leaddesk.cli.parser import Handler, UsageError, build_parser
from leaddesk.errors import SystemRequirementError, UserError

__all__ = ["main"]

log = logging.getLogger("leaddesk")


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
    handler: Handler = getattr(args, "handler", window.run)
    with paused_gc():
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
