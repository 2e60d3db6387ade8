"""The `leaddesk` command line: the contract that scripts and tests rely on.

Most commands run in-process through ``leaddesk.cli.main`` (fast); a few run as
real processes where the process boundary is the point: the console script and
``python -m``, exit statuses and stderr as a shell sees them, and a reader that
goes away (``leaddesk list | head``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import leaddesk
from leaddesk.cli.commands import demo as demo_command
from leaddesk.cli.commands import info as info_command
from leaddesk.cli.commands import list_leads as list_command
from tests.cli.helpers import (
    add_demo,
    assert_one_line_error,
    info,
    run,
    run_process,
    subprocess_env,
)

USER_MISTAKES = {
    "unknown option": (["--bogus", "info"], "--bogus"),
    "unknown option after the command": (["list", "--bogus"], "--bogus"),
    "unknown command": (["frobnicate"], "frobnicate"),
    "bad temperature": (["list", "--temperature", "lukewarm"], "lukewarm"),
    "bad stage": (["list", "--stage", "maybe"], "maybe"),
    "zero count": (["demo", "--count", "0"], "count"),
    "negative count": (["demo", "--count", "-5"], "count"),
    "count not a number": (["demo", "--count", "abc"], "abc"),
    "seed not a number": (["demo", "--seed", "x1"], "x1"),
    "screenshot into a missing folder": (["screenshot", "{out}/missing/board.png"], "missing"),
    "screenshot not a png": (["screenshot", "{out}/out.txt"], "out.txt"),
    "screenshot of a missing lead": (
        ["screenshot", "{out}/lead.png", "--view", "lead:999999"],
        "999999",
    ),
    "screenshot of an unknown view": (["screenshot", "{out}/b.png", "--view", "banana"], "banana"),
    "size too small": (["screenshot", "{out}/b.png", "--size", "10x10"], "size"),
    "size not a size": (["screenshot", "{out}/b.png", "--size", "big"], "big"),
    "screenshot without a file": (["screenshot"], "OUT.png"),
    "database url not a url": (["--database-url", "notaurl", "info"], "notaurl"),
    "database url of an unknown engine": (["--database-url", "nosuchdb://x/y", "info"], "nosuchdb"),
}


# --version ----------------------------------------------------------------------------


def test_python_m_leaddesk_version() -> None:
    result = run_process("--version")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"LeadDesk {leaddesk.__version__}\n",
        "",
    )


def test_console_script_version() -> None:
    script = Path(sys.executable).with_name("leaddesk")
    if not script.is_file():
        pytest.skip("the leaddesk console script is not installed next to this Python")
    result = subprocess.run(
        [script, "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"LeadDesk {leaddesk.__version__}\n",
        "",
    )


def test_version_matches_installed_package() -> None:
    from importlib.metadata import version

    assert version("leaddesk") == leaddesk.__version__


# user mistakes ------------------------------------------------------------------------


@pytest.mark.parametrize(("argv", "mentions"), USER_MISTAKES.values(), ids=USER_MISTAKES)
def test_user_mistake_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    argv: list[str],
    mentions: str,
) -> None:
    add_demo(capsys, data_dir, 3)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    before = sorted(data_dir.rglob("*.sqlite3"))

    result = run(capsys, "--data-dir", data_dir, *(a.format(out=out_dir) for a in argv))

    line = assert_one_line_error(result, 2)
    assert mentions in line
    assert result.out == ""
    assert list(out_dir.iterdir()) == [], "a failed command left a file behind"
    assert sorted(data_dir.rglob("*.sqlite3")) == before
    assert info(capsys, "--data-dir", data_dir)["leads"] == 3


def test_user_mistake_in_a_real_process(data_dir: Path) -> None:
    result = run_process(
        "--data-dir", data_dir, "screenshot", data_dir / "x.png", "--view", "lead:42"
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == ["leaddesk: There is no lead with id 42."]
    assert not (data_dir / "x.png").exists()


# unexpected failures ------------------------------------------------------------------


def test_unexpected_failure_exits_1_and_points_to_the_log(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    def broken(_args: object) -> int:
        raise RuntimeError("the flux capacitor melted\nsecond line of detail")

    monkeypatch.setattr(info_command, "run", broken)

    result = run(capsys, "--data-dir", data_dir, "info", "--json")

    line = assert_one_line_error(result, 1)
    assert result.out == ""
    assert "the flux capacitor melted" in line
    assert "second line" not in line
    log_file = data_dir / "logs" / "leaddesk.log"
    assert str(log_file) in line
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged
    assert "RuntimeError: the flux capacitor melted" in logged


def test_unexpected_failure_without_a_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    def broken(_args: object) -> int:
        raise ZeroDivisionError

    monkeypatch.setattr(list_command, "run", broken)
    line = assert_one_line_error(run(capsys, "--data-dir", data_dir, "list"), 1)
    assert "ZeroDivisionError" in line


def test_interrupted_by_ctrl_c(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    def interrupted(_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(demo_command, "run", interrupted)
    result = run(capsys, "--data-dir", data_dir, "demo")
    assert result.code == 130
    assert "Traceback" not in result.err


# a reader that goes away --------------------------------------------------------------


@pytest.mark.parametrize("json_option", [[], ["--json"]], ids=["text", "json"])
def test_closed_pipe_is_not_an_error(
    capsys: pytest.CaptureFixture[str], data_dir: Path, json_option: list[str]
) -> None:
    """`leaddesk list | head -1`: the reader is gone before the command writes.

    Deterministic version: the pipe's read end is closed before the process
    starts. PYTHONUNBUFFERED is removed so output is block-buffered, as for a user.
    """
    add_demo(capsys, data_dir, 5)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "leaddesk", "--data-dir", data_dir, "list", *json_option],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env(PYTHONUNBUFFERED=None),
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert "Broken" not in result.stderr
    assert "Exception" not in result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1), result.stderr
