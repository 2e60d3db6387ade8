"""One window per database: the first window's server and a second start's client, in one process.

The client waits for its answer in a local event loop, so the server of the same
thread answers it: both ends run in the test's process, on its thread.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalServer

from leaddesk.ui.safety import single_instance
from leaddesk.ui.safety.single_instance import (
    Answer,
    InstanceServer,
    ask_to_raise,
    claim,
    server_name,
)

unix_only = pytest.mark.skipif(sys.platform == "win32", reason="Unix socket files")


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return _url(tmp_path / "data" / "leaddesk.sqlite3")


def _socket_file(name: str) -> Path:
    """Where QLocalServer puts the socket of ``name`` (Unix)."""
    server = QLocalServer()
    assert server.listen(name)
    path = Path(server.fullServerName())
    server.close()
    return path


def test_one_database_has_one_name_however_its_path_is_written(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    name = server_name(_url(data / "leaddesk.sqlite3"))
    assert server_name(_url(data / ".." / "data" / "leaddesk.sqlite3")) == name
    assert server_name(_url(tmp_path / "other" / "leaddesk.sqlite3")) != name
    assert name.startswith("leaddesk-")
    assert len(name) < 60  # a Unix socket path has about 100 bytes, temp folder included


def test_a_second_start_brings_the_first_window_forward(qtbot, database_url: str) -> None:
    first = claim(database_url)
    assert isinstance(first, InstanceServer)
    try:
        with qtbot.waitSignal(first.raise_requested, timeout=5000):
            assert ask_to_raise(first.name) is Answer.RAISED
    finally:
        first.close()


def test_with_no_window_open_the_start_takes_the_name(qtbot, database_url: str) -> None:
    assert ask_to_raise(server_name(database_url), 500) is Answer.NOBODY
    first = claim(database_url)
    assert isinstance(first, InstanceServer)
    first.close()


def test_windows_on_different_databases_do_not_meet(qtbot, tmp_path: Path) -> None:
    first = claim(_url(tmp_path / "a" / "leaddesk.sqlite3"))
    other = claim(_url(tmp_path / "b" / "leaddesk.sqlite3"))
    try:
        assert isinstance(first, InstanceServer)
        assert isinstance(other, InstanceServer)
    finally:
        first.close()
        other.close()  # type: ignore[union-attr]


@unix_only
def test_the_socket_of_a_crashed_window_is_taken_over(qtbot, database_url: str) -> None:
    name = server_name(database_url)
    path = _socket_file(name)
    # A process killed while listening leaves its socket file, which nobody answers.
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()
    assert path.exists()

    first = claim(database_url)
    assert isinstance(first, InstanceServer)
    try:
        with qtbot.waitSignal(first.raise_requested, timeout=5000):
            assert ask_to_raise(name) is Answer.RAISED
    finally:
        first.close()


@unix_only
def test_a_window_that_does_not_answer_means_the_database_is_open_elsewhere(
    qtbot, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(single_instance, "ANSWER_TIMEOUT_MS", 300)
    name = server_name(database_url)
    path = _socket_file(name)
    # Listening (connections are queued by the system) but never answering: hung.
    hung = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    hung.bind(str(path))
    hung.listen(4)
    try:
        assert ask_to_raise(name, 300) is Answer.SILENT
        assert claim(database_url) is Answer.SILENT
        assert path.exists()  # not taken from a live (if hung) window
    finally:
        hung.close()
        path.unlink(missing_ok=True)
