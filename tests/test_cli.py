"""The `leaddesk` command line: the contract that scripts and tests rely on.

Most commands run in-process through ``leaddesk.cli.main`` (fast); a few run as
real processes where the process boundary is the point: the console script and
``python -m``, exit statuses and stderr as a shell sees them, a screenshot on a
machine without a display, and a reader that goes away (``leaddesk list | head``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QPalette

import leaddesk
from leaddesk import cli
from leaddesk.core.fields import Temperature
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.storage.migrate import HEAD_REVISION
from leaddesk.ui.theme import TEMPERATURE_COLORS
from tests.cli_helpers import assert_one_line_error, isolated_cli, run
from tests.image_checks import (
    assert_board_columns,
    assert_not_blank,
    has_colour,
    load_png,
    mean_lightness,
    share_of,
)

INFO_KEYS = {"version", "database", "schema_revision", "leads"}
LEAD_KEYS = {
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "job_title",
    "source",
    "temperature",
    "stage",
    "score",
    "owner",
    "consent",
    "next_follow_up",
    "created_at",
    "updated_at",
}
TIME_KEYS = ("next_follow_up", "created_at", "updated_at", "first_contacted_at", "consent_date")
# Qt messages that the offscreen platform always prints (as in pyproject's qt_log_ignore).
HARMLESS_QT_MESSAGES = ("QFont::fromString", "This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    yield from isolated_cli(monkeypatch, tmp_path)


@pytest.fixture
def fresh_dir(tmp_path: Path) -> Path:
    """A data folder that does not exist yet."""
    return tmp_path / "fresh data"


def info(capsys: pytest.CaptureFixture[str], *options: str | os.PathLike[str]) -> dict[str, Any]:
    result = run(capsys, *options, "info", "--json")
    assert (result.code, result.err) == (0, "")
    data: dict[str, Any] = json.loads(result.out)
    return data


def listing(capsys: pytest.CaptureFixture[str], data_dir: Path, *filters: str) -> list[Any]:
    result = run(capsys, "--data-dir", data_dir, "list", "--json", *filters)
    assert result.code == 0, result.err
    records = json.loads(result.out)
    assert isinstance(records, list)
    return records


def add_demo(capsys: pytest.CaptureFixture[str], data_dir: Path, count: int, seed: int = 7) -> None:
    result = run(capsys, "--data-dir", data_dir, "demo", "--count", str(count), "--seed", str(seed))
    assert result.code == 0, result.err


def subprocess_env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_process(
    *argv: str | os.PathLike[str], **env: str | None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leaddesk", *map(os.fspath, argv)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=subprocess_env(**env),
        timeout=60,
        check=False,
    )


# --version ------------------------------------------------------------------------------


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


# info -----------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["before the command", "after the command", "environment"])
def test_info_on_a_fresh_data_dir(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fresh_dir: Path,
    tmp_path: Path,
    where: str,
) -> None:
    if where == "before the command":
        argv = ["--data-dir", str(fresh_dir), "info", "--json"]
    elif where == "after the command":
        argv = ["info", "--json", "--data-dir", str(fresh_dir)]
    else:
        monkeypatch.setenv("LEADDESK_DATA_DIR", str(fresh_dir))
        argv = ["info", "--json"]

    result = run(capsys, *argv)

    assert (result.code, result.err) == (0, "")
    assert result.out.count("\n") == 1, "one JSON document on one line"
    data = json.loads(result.out)
    assert set(data) == INFO_KEYS
    assert data["version"] == leaddesk.__version__
    assert data["leads"] == 0
    assert data["schema_revision"] == HEAD_REVISION
    database = Path(data["database"])
    assert database.parent == fresh_dir.resolve()
    assert database.is_file()
    assert not (tmp_path / "xdg-data").exists(), "the default data folder was touched"


def test_info_with_database_url(
    capsys: pytest.CaptureFixture[str], fresh_dir: Path, tmp_path: Path
) -> None:
    database = tmp_path / "elsewhere" / "crm.db"

    data = info(capsys, "--data-dir", fresh_dir, "--database-url", f"sqlite:///{database}")

    assert set(data) == INFO_KEYS
    assert Path(data["database"]) == database
    assert database.is_file()
    assert (data["leads"], data["schema_revision"]) == (0, HEAD_REVISION)
    assert not (fresh_dir / "leaddesk.sqlite3").exists()


def test_location_precedence(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env_dir, option_dir = tmp_path / "from env", tmp_path / "from option"
    env_url_db, option_url_db = tmp_path / "env-url.db", tmp_path / "option-url.db"
    monkeypatch.setenv("LEADDESK_DATA_DIR", str(env_dir))
    assert Path(info(capsys)["database"]).parent == env_dir.resolve()
    assert Path(info(capsys, "--data-dir", option_dir)["database"]).parent == option_dir.resolve()

    monkeypatch.setenv("LEADDESK_DATABASE_URL", f"sqlite:///{env_url_db}")
    assert Path(info(capsys)["database"]) == env_url_db
    # --data-dir means "the database in that folder", even over a URL from the environment.
    assert Path(info(capsys, "--data-dir", option_dir)["database"]).parent == option_dir.resolve()
    url_option = ["--database-url", f"sqlite:///{option_url_db}"]
    assert Path(info(capsys, *url_option)["database"]) == option_url_db


def test_info_text(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    add_demo(capsys, data_dir, 3)
    result = run(capsys, "info", "--data-dir", data_dir)
    assert (result.code, result.err) == (0, "")
    assert f"LeadDesk {leaddesk.__version__}" in result.out
    assert "Leads: 3" in result.out.splitlines()


# demo -----------------------------------------------------------------------------------


def test_demo_adds_the_requested_number_of_varied_leads(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    result = run(capsys, "--data-dir", data_dir, "demo", "--count", "30", "--seed", "7")

    assert (result.code, result.err) == (0, "")
    assert "30" in result.out
    assert info(capsys, "--data-dir", data_dir)["leads"] == 30
    records = listing(capsys, data_dir)
    assert len(records) == 30
    assert {r["temperature"] for r in records} == {"cold", "warm", "hot"}
    assert len({r["stage"] for r in records}) >= 3
    assert len({r["source"] for r in records}) >= 3
    assert len({r["owner"] for r in records}) >= 3
    assert None not in {r["owner"] for r in records}
    assert len({r["score"] for r in records}) >= 3
    now = dt.datetime.now(dt.UTC)
    follow_ups = [r["next_follow_up"] for r in records]
    assert None in follow_ups
    assert any(due and dt.datetime.fromisoformat(due) < now for due in follow_ups), "no overdue"
    assert any(due and dt.datetime.fromisoformat(due) > now for due in follow_ups), "none due"
    assert {"denied", "granted"} <= {r["consent"] for r in records}


def test_demo_adds_to_what_is_there_and_a_seed_repeats_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    add_demo(capsys, first, 10, seed=3)
    add_demo(capsys, second, 10, seed=3)

    def people(data_dir: Path) -> list[tuple[Any, ...]]:
        return sorted(
            (r["id"], r["first_name"], r["last_name"], r["temperature"], r["stage"], r["owner"])
            for r in listing(capsys, data_dir)
        )

    assert people(first) == people(second)
    add_demo(capsys, first, 5, seed=4)
    assert info(capsys, "--data-dir", first)["leads"] == 15


# list -----------------------------------------------------------------------------------


def test_list_json_records(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    add_demo(capsys, data_dir, 20)
    bare_id, _ = create_lead(ctx, {"first_name": "Bare"})

    records = listing(capsys, data_dir)

    assert len(records) == 21
    assert len({r["id"] for r in records}) == 21
    for record in records:
        assert set(record) >= LEAD_KEYS, LEAD_KEYS - set(record)
        assert isinstance(record["id"], int)
        assert isinstance(record["score"], int)
        for key in TIME_KEYS:
            if record.get(key) is not None:
                moment = dt.datetime.fromisoformat(record[key])
                assert moment.utcoffset() is not None, f"{key} {record[key]} has no time zone"
        assert "" not in record.values(), "absent values must be null, not empty"
    bare = next(r for r in records if r["id"] == bare_id)
    assert bare["first_name"] == "Bare"
    for key in ("last_name", "email", "phone", "company", "job_title", "source", "owner"):
        assert bare[key] is None, key
    assert bare["next_follow_up"] is None
    assert bare["temperature"] in {"cold", "warm", "hot"}


def test_list_on_an_empty_database_is_an_empty_array(
    capsys: pytest.CaptureFixture[str], fresh_dir: Path
) -> None:
    assert listing(capsys, fresh_dir) == []


def test_list_json_explains_each_lead(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    from leaddesk.core.scoring import ScoreSettings, suggested_temperature
    from leaddesk.operations.activities import log_activity
    from leaddesk.operations.leads import update_lead

    lead_id, _ = create_lead(
        ctx, {"first_name": "Ada", "job_title": "CEO", "email": "ada@acme-industries.com"}
    )
    update_lead(ctx, lead_id, {"stage": "sql"})
    log_activity(ctx, lead_id, "demo_request")

    (record,) = listing(capsys, data_dir)

    assert [(step["from"], step["to"]) for step in record["stage_history"]] == [
        (None, "lead"),
        ("lead", "sql"),
    ]
    for step in record["stage_history"]:
        assert dt.datetime.fromisoformat(step["at"]).utcoffset() == dt.timedelta(0)
    reasons = {(reason["rule"], reason["points"]) for reason in record["score_reasons"]}
    assert reasons >= {
        ("Job title looks like a decision maker", 20),
        ("Business email domain", 5),
        ("Requested a demo, quote or pricing", 25),
    }
    total = max(0, min(100, sum(reason["points"] for reason in record["score_reasons"])))
    assert record["suggested_temperature"] == suggested_temperature(total, ScoreSettings())
    completeness = record["completeness"]
    assert set(completeness) == {"capture", "cold", "warm", "hot", "closed", "overall"}
    assert all(0.0 <= value <= 1.0 for value in completeness.values())
    assert 0.0 < completeness["capture"] < 1.0  # a name and an email, no phone or company


def test_list_json_reads_in_batches_not_per_lead(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def queries_to_list() -> int:
        statements.clear()
        listing(capsys, data_dir)
        return len(statements)

    add_demo(capsys, data_dir, 5)
    event.listen(Engine, "before_cursor_execute", count)
    try:
        few = queries_to_list()
        add_demo(capsys, data_dir, 60, seed=8)
        many = queries_to_list()
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert many == few


def test_list_filters(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    add_demo(capsys, data_dir, 40)
    everything = listing(capsys, data_dir)

    hot = listing(capsys, data_dir, "--temperature", "hot")
    assert hot
    assert {r["id"] for r in hot} == {r["id"] for r in everything if r["temperature"] == "hot"}

    stages = [r["stage"] for r in everything]
    stage = max(set(stages), key=stages.count)
    in_stage = listing(capsys, data_dir, "--stage", stage)
    assert 0 < len(in_stage) < len(everything)
    assert {r["id"] for r in in_stage} == {r["id"] for r in everything if r["stage"] == stage}

    both = listing(capsys, data_dir, "--temperature", "hot", "--stage", stage)
    expected = {r["id"] for r in everything if r["stage"] == stage and r["temperature"] == "hot"}
    assert {r["id"] for r in both} == expected


@pytest.mark.parametrize("query", ["schaf", "SCHÄF", "Schäfer", "jurgen schaf"])
def test_list_search_is_accent_insensitive_prefix_matching(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext, query: str
) -> None:
    wanted, _ = create_lead(ctx, {"first_name": "Jürgen", "last_name": "Schäfer"})
    create_lead(ctx, {"first_name": "Anna", "last_name": "Schmidt"})
    create_lead(ctx, {"first_name": "Bob", "last_name": "Bischaf"})  # "schaf" mid-word

    found = listing(capsys, data_dir, "--search", query)

    assert [r["id"] for r in found] == [wanted]
    assert found[0]["last_name"] == "Schäfer"


def test_list_search_without_a_match(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    create_lead(ctx, {"first_name": "Jürgen", "last_name": "Schäfer"})
    assert listing(capsys, data_dir, "--search", "zzz") == []
    # Punctuation that means something to a search engine is just text here.
    for query in ['"', "sch*", "NEAR(", "a AND", "-", "_"]:
        result = run(capsys, "--data-dir", data_dir, "list", "--json", "--search", query)
        assert (result.code, result.err) == (0, ""), query
        assert isinstance(json.loads(result.out), list)


def test_list_text_prints_one_line_per_lead(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    add_demo(capsys, data_dir, 4)
    result = run(capsys, "--data-dir", data_dir, "list")
    assert result.code == 0
    assert len(result.out.splitlines()) == 4
    assert result.err == "4 leads\n"


# screenshot -----------------------------------------------------------------------------


@pytest.fixture
def app(qapp: Any) -> Any:
    """The test QApplication, with the theme a screenshot applies undone afterwards."""
    from PySide6.QtGui import QPalette

    palette, style = QPalette(qapp.palette()), qapp.style().name()
    yield qapp
    qapp.setStyle(style)
    qapp.setPalette(palette)


@pytest.fixture
def qt_log(caplog: pytest.LogCaptureFixture) -> Any:
    """Qt messages go to LeadDesk's log during a screenshot; none may be a warning."""
    yield
    problems = [
        record.getMessage()
        for record in caplog.get_records("call")
        if record.name == "leaddesk.qt"
        and record.levelno >= logging.WARNING
        and not record.getMessage().startswith(HARMLESS_QT_MESSAGES)
    ]
    assert problems == []


@pytest.mark.usefixtures("qt_log")
def test_screenshot_of_the_board(
    app: Any, capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    add_demo(capsys, data_dir, 12)
    output = tmp_path / "board.png"

    result = run(capsys, "--data-dir", data_dir, "screenshot", output, "--size", "900x600")

    assert (result.code, result.err) == (0, ""), result.err
    assert str(output) in result.out
    image = load_png(output)
    assert (image.width(), image.height()) == (900, 600)
    assert_not_blank(image)
    assert_board_columns(image)
    # Cards (the Base colour) fill a good part of the columns; an empty board has none.
    base = app.palette().color(QPalette.ColorRole.Base)
    assert share_of(image, base, QRect(0, 100, 900, 440), tolerance=0) > 0.1


@pytest.mark.usefixtures("qt_log")
def test_screenshot_default_size(
    app: Any, capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "board.png"
    result = run(capsys, "screenshot", output, "--data-dir", data_dir)
    assert result.code == 0, result.err
    image = load_png(output)
    assert (image.width(), image.height()) == (1280, 800)
    assert_not_blank(image)
    assert_board_columns(image)


@pytest.mark.usefixtures("qt_log")
def test_screenshot_of_a_lead(
    app: Any,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    ctx: OperationContext,
    tmp_path: Path,
) -> None:
    lead_id, _ = create_lead(ctx, {"first_name": "Jürgen", "last_name": "Schäfer"})
    output = tmp_path / "lead.png"

    result = run(
        capsys, "--data-dir", data_dir, "screenshot", output, "--view", f"lead:{lead_id}",
        "--size", "900x700",
    )  # fmt: skip

    assert (result.code, result.err) == (0, ""), result.err
    image = load_png(output)
    assert (image.width(), image.height()) == (900, 700)
    assert_not_blank(image)
    # The lead's name as the title, top left; its score (0) in the colour of the
    # temperature it suggests (cold), in the score box on the right.
    text = app.palette().color(QPalette.ColorRole.WindowText)
    assert has_colour(image, text, QRect(0, 0, 450, 40), tolerance=0)
    cold = TEMPERATURE_COLORS[Temperature.COLD].darker(115)
    assert has_colour(image, cold, QRect(450, 50, 450, 80), tolerance=8)


def test_screenshot_of_the_settings_dialog(
    app: Any, capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "settings.png"
    result = run(
        capsys, "--data-dir", data_dir, "screenshot", output, "--view", "settings:team",
        "--size", "860x640",
    )  # fmt: skip
    assert (result.code, result.err) == (0, ""), result.err
    image = load_png(output)
    assert (image.width(), image.height()) == (860, 640)
    assert_not_blank(image)
    # The (empty) team list fills the middle; the buttons beside it have labels.
    palette = app.palette()
    base = palette.color(QPalette.ColorRole.Base)
    assert share_of(image, base, QRect(215, 210, 290, 210), tolerance=0) > 0.95
    text = palette.color(QPalette.ColorRole.ButtonText)
    assert has_colour(image, text, QRect(750, 80, 100, 110), tolerance=0)


@pytest.mark.usefixtures("qt_log")
def test_screenshot_dark_theme_is_dark(
    app: Any, capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    add_demo(capsys, data_dir, 6)
    light, dark = tmp_path / "light.png", tmp_path / "dark.png"
    base = ["--data-dir", str(data_dir), "screenshot", "--size", "800x500"]

    assert run(capsys, *base, light, "--theme", "light").code == 0
    assert run(capsys, *base, dark, "--theme", "dark").code == 0

    assert mean_lightness(load_png(dark)) + 60 < mean_lightness(load_png(light))


@pytest.mark.usefixtures("app", "qt_log")
def test_screenshot_leaves_the_window_layout_alone(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    """Rendering at --size must not change the size the real window opens at next time."""
    layout = data_dir / "window.ini"
    assert run(capsys, "--data-dir", data_dir, "screenshot", tmp_path / "a.png").code == 0
    assert not layout.exists()

    layout.write_text("[General]\ngrouping=temperature\n", encoding="utf-8")
    before = layout.read_bytes()
    result = run(
        capsys, "--data-dir", data_dir, "screenshot", tmp_path / "b.png", "--size", "640x400"
    )
    assert result.code == 0
    assert layout.read_bytes() == before


def test_screenshot_in_a_process_without_a_display(data_dir: Path, tmp_path: Path) -> None:
    """Offscreen by itself: no QT_QPA_PLATFORM, no DISPLAY, and a quiet terminal."""
    output = tmp_path / "board.png"
    result = run_process(
        "--data-dir", data_dir, "screenshot", output, "--size", "640x400",
        QT_QPA_PLATFORM=None, DISPLAY=None, WAYLAND_DISPLAY=None,
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (0, "")
    image = load_png(output)
    assert (image.width(), image.height()) == (640, 400)
    assert_not_blank(image)
    assert_board_columns(image)


# user mistakes --------------------------------------------------------------------------

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


def test_data_dir_that_is_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("hello", encoding="utf-8")
    line = assert_one_line_error(run(capsys, "--data-dir", not_a_folder, "info"), 2)
    assert str(not_a_folder) in line
    assert not_a_folder.read_text(encoding="utf-8") == "hello"


@pytest.mark.usefixtures("app", "qt_log")
def test_screenshot_onto_a_folder(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "looks like a file.png"
    folder.mkdir()
    line = assert_one_line_error(run(capsys, "--data-dir", data_dir, "screenshot", folder), 2)
    assert str(folder) in line
    assert folder.is_dir()


def test_a_file_that_is_not_a_database_is_left_alone(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    database = data_dir / "leaddesk.sqlite3"
    database.write_bytes(b"my shopping list, not a database\n" * 50)

    for argv in (["info", "--json"], ["demo", "--count", "5"], ["list", "--json"]):
        result = run(capsys, "--data-dir", data_dir, *argv)
        assert "database" in assert_one_line_error(result, 2)
        assert result.out == ""

    assert database.read_bytes() == b"my shopping list, not a database\n" * 50


def test_user_mistake_in_a_real_process(data_dir: Path) -> None:
    result = run_process(
        "--data-dir", data_dir, "screenshot", data_dir / "x.png", "--view", "lead:42"
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == ["leaddesk: There is no lead with id 42."]
    assert not (data_dir / "x.png").exists()


# unexpected failures --------------------------------------------------------------------


def test_unexpected_failure_exits_1_and_points_to_the_log(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    def broken(_args: object) -> int:
        raise RuntimeError("the flux capacitor melted\nsecond line of detail")

    monkeypatch.setattr(cli, "_cmd_info", broken)

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

    monkeypatch.setattr(cli, "_cmd_list", broken)
    line = assert_one_line_error(run(capsys, "--data-dir", data_dir, "list"), 1)
    assert "ZeroDivisionError" in line


def test_a_demo_that_fails_halfway_adds_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    add_demo(capsys, data_dir, 4)

    def broken(*_args: object) -> None:
        raise RuntimeError("scoring failed")

    monkeypatch.setattr("leaddesk.operations.demo.rescore_leads", broken)
    result = run(capsys, "--data-dir", data_dir, "demo", "--count", "25")
    assert_one_line_error(result, 1)
    monkeypatch.undo()

    assert info(capsys, "--data-dir", data_dir)["leads"] == 4


def test_interrupted_by_ctrl_c(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    def interrupted(_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_cmd_demo", interrupted)
    result = run(capsys, "--data-dir", data_dir, "demo")
    assert result.code == 130
    assert "Traceback" not in result.err


# a reader that goes away ----------------------------------------------------------------


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
