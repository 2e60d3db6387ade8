"""Smoke-test a frozen LeadDesk bundle: `make bundle-test`.

Runs the bundle's command-line executable from a foreign working directory on a
fresh data folder, so it must find its migrations and icons inside itself: the
schema is created by the migrations shipped in the bundle, demo leads are added,
listed, and the board is rendered to a PNG offscreen.

Usage: python packaging/smoke_test.py [dist/leaddesk | /usr/bin/leaddesk]
(a bundle folder, or the command an installed package put on the PATH)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    bundle = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist" / "leaddesk").absolute()
    suffix = ".exe" if sys.platform == "win32" else ""
    # An installed command is run as the user runs it: through its link.
    executable = bundle if bundle.is_file() else bundle / f"leaddesk-cli{suffix}"
    if not executable.is_file():
        print(f"No bundle at {bundle}: run `make bundle` first.", file=sys.stderr)
        return 2
    head = _head_revision()
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "data"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LEADDESK_DATA_DIR": str(data)}
        env.pop("PYTHONPATH", None)

        def run(*args: str) -> str:
            done = subprocess.run(
                [str(executable), *args],
                cwd=scratch,  # never the repository: nothing may be found from the cwd
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            if done.returncode != 0:
                raise SystemExit(
                    f"bundle: `leaddesk {' '.join(args)}` exited {done.returncode}:\n{done.stderr}"
                )
            return done.stdout

        print(run("--version").strip())
        info = json.loads(run("info", "--json"))
        assert info["schema_revision"] == head, f"schema {info['schema_revision']} is not {head}"
        assert info["leads"] == 0, info
        run("demo", "--count", "30")
        leads = json.loads(run("list", "--json"))
        assert len(leads) == 30, f"{len(leads)} leads listed, 30 expected"
        shot = Path(scratch) / "board.png"
        run("screenshot", str(shot), "--size", "800x600")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "the screenshot is not a PNG"
        # Export and import: the helper threads, phonenumbers' metadata and
        # email-validator's tables must all be inside the bundle.
        exported = Path(scratch) / "leads.csv"
        run("export", str(exported))
        assert exported.read_bytes().startswith(b"\xef\xbb\xbf"), "no byte-order mark"
        again = json.loads(run("import", str(exported), "--json"))
        assert (again["created"], again["skipped"]) == (0, 30), again
        # Excel both ways: LeadDesk writes the workbook itself (zlib on a helper
        # thread), python-calamine's extension reads it.
        workbook = Path(scratch) / "leads.xlsx"
        run("export", str(workbook))
        assert workbook.read_bytes()[:4] == b"PK\x03\x04", "the .xlsx is no ZIP package"
        from_excel = json.loads(run("import", str(workbook), "--json"))
        assert (from_excel["created"], from_excel["skipped"]) == (0, 30), from_excel
        people = Path(scratch) / "people.csv"
        # A phone shape the demo leads never have ((555) 201-NNNN is theirs), so
        # both rows are new.
        people.write_text(
            "First Name,Last Name,Email,Phone\n"
            "Anna,Schäfer,Anna@Müller.de,+49 30 1234567\n"
            "Søren,Østlund,soren@example.com,(555) 301-0005\n",
            encoding="utf-8",
        )
        imported = json.loads(run("import", str(people), "--json"))
        assert (imported["created"], imported["rejected"]) == (2, 0), imported
        listed = {lead["first_name"]: lead for lead in json.loads(run("list", "--json"))}
        assert listed["Anna"]["email"] == "anna@müller.de", listed["Anna"]
        assert listed["Anna"]["phone"] == "+49301234567", listed["Anna"]
        # A user mistake must stay one sentence and exit 2 in the bundle too.
        mistake = subprocess.run(
            [str(executable), "list", "--temperature", "lukewarm"],
            cwd=scratch,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert mistake.returncode == 2, mistake
        assert "Traceback" not in mistake.stderr, mistake.stderr
    print(f"bundle smoke test passed: {bundle} (schema {head}, demo, screenshot, csv, xlsx)")
    return 0


def _head_revision() -> str:
    sys.path.insert(0, str(ROOT))
    from leaddesk.storage.migrate import HEAD_REVISION

    return HEAD_REVISION


if __name__ == "__main__":
    sys.exit(main())
