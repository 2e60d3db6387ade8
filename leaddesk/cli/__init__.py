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

from leaddesk.cli import context
from leaddesk.cli.commands import window
from leaddesk.cli.gc_pause import paused_gc
from leaddesk.cli.parser import Handler, UsageError, build_parser
from leaddesk.errors import SystemRequirementError, UserError

__all__ = ["main", "one_line"]

log = logging.getLogger("leaddesk")


def _log_handler(log_file: Path) -> logging.Handler:
    """A rotating log file that, once it cannot be written, falls back to stderr.

    On a full disk, logging's own error report would print a traceback of the
    failed write; instead a warning or an error goes to stderr as one line and
    the rest is dropped.
    """
    from logging.handlers import RotatingFileHandler

    class LogFile(RotatingFileHandler):
        broken = False

        def emit(self, record: logging.LogRecord) -> None:
            if self.broken:
                self._one_line(record)
            else:
                super().emit(record)

        def handleError(self, record: logging.LogRecord) -> None:
            self.broken = True
            self._one_line(record)

        def _one_line(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                first = (record.getMessage().strip().splitlines() or [""])[0][:200]
                print(f"leaddesk: {record.levelname.lower()}: {first}", file=sys.stderr)

    return LogFile(log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True)


def _setup_logging(args: argparse.Namespace) -> logging.Handler | None:
    """Log to a file in the data folder; the terminal only gets one-line messages."""
    from leaddesk.storage.database import resolve_location

    try:
        log_dir = resolve_location(args.data_dir, args.database_url).data_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = _log_handler(log_dir / "leaddesk.log")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def _explained(error: BaseException) -> UserError | None:
    """A full disk, a busy or damaged database that escaped the storage layer: one sentence."""
    from sqlalchemy.exc import DBAPIError

    from leaddesk.storage.health import explain

    return explain(error.orig if isinstance(error, DBAPIError) else error, None, None)


def _print_any_file_name() -> None:
    """A file name that is not UTF-8 (its bytes carried as surrogates) is printed as it is.

    With the default "strict" handler such a name in a message would fail the
    command after its work was done.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) == "strict":
            reconfigure(errors="surrogateescape")


def one_line(message: str) -> str:
    """A message as the one line the exit contract promises, even when it quotes a newline."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


def _check_encodable(argv: Sequence[str]) -> None:
    """Every argument can be handed to the system as a file name.

    From a real command line it always can (undecodable bytes arrive as
    surrogates that encode back); a caller passing other lone surrogates gets
    one sentence instead of an encoding error deep inside a command.
    """
    for argument in argv:
        try:
            os.fsencode(argument)
        except UnicodeEncodeError:
            raise UsageError(f"{argument!a} is not text this system can use.") from None


def main(argv: Sequence[str] | None = None) -> int:
    _print_any_file_name()
    parser = build_parser()
    try:
        _check_encodable(sys.argv[1:] if argv is None else argv)
        args = parser.parse_args(argv)
    except UsageError as error:
        print(f"leaddesk: {one_line(str(error))}", file=sys.stderr)
        return 2
    handler: Handler = getattr(args, "handler", window.run)
    with paused_gc():
        # Imports the storage layer, and so SQLAlchemy.
        log_handler = _setup_logging(args)
    try:
        return _run(handler, args, log_handler)
    finally:
        # The clean end of the command: what it opened is closed.
        context.close_databases()
        if log_handler is not None:
            # So that a caller running several commands in one process (the
            # tests) does not log each into every earlier command's file.
            logging.getLogger().removeHandler(log_handler)
            log_handler.close()


def _run(handler: Handler, args: argparse.Namespace, log_handler: logging.Handler | None) -> int:
    """Run the command's handler under the exit contract."""
    try:
        status = handler(args)
        for warning in context.damage_warnings():
            print(f"leaddesk: warning: {warning}", file=sys.stderr)
        # Flush while a closed pipe can still be handled below; at exit Python
        # would print "Exception ignored ... BrokenPipeError" and exit 120.
        sys.stdout.flush()
        return status
    except UserError as error:
        print(f"leaddesk: {one_line(str(error))}", file=sys.stderr)
        return 2
    except SystemRequirementError as error:
        print(f"leaddesk: {one_line(str(error))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`leaddesk list | head`): not an error worth a word.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as error:
        explained = _explained(error)
        if explained is not None:
            print(f"leaddesk: {one_line(str(explained))}", file=sys.stderr)
            return 2
        log.exception("unexpected error in %s", getattr(args, "command", None) or "window")
        log_file = getattr(log_handler, "baseFilename", None)
        written = log_file is not None and not getattr(log_handler, "broken", False)
        where = f"; details are in {log_file}" if written else ""
        summary = one_line((str(error).strip().splitlines() or [type(error).__name__])[0][:200])
        print(f"leaddesk: unexpected error: {summary}{where}", file=sys.stderr)
        return 1
