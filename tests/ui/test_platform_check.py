"""Before opening a window: say what is missing instead of letting Qt abort."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import leaddesk.ui.app
from leaddesk import cli
from leaddesk.errors import SystemRequirementError
from leaddesk.ui import platform_check
from leaddesk.ui.platform_check import XCB_LIBRARIES, check_can_show_window

ALL_PACKAGES = [package for _library, package in XCB_LIBRARIES]


@pytest.fixture
def linux_x11(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A Linux desktop session on X11, with every library present unless a test says so."""
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(platform_check, "_loadable", lambda _library: True)
    return monkeypatch


def missing(*packages: str) -> object:
    libraries = {library for library, package in XCB_LIBRARIES if package in packages}
    return lambda library: library not in libraries


def test_nothing_missing(linux_x11: pytest.MonkeyPatch) -> None:
    check_can_show_window()  # does not raise


def test_missing_libraries_are_named_as_packages(linux_x11: pytest.MonkeyPatch) -> None:
    linux_x11.setattr(platform_check, "_loadable", missing("libxcb-cursor0", "libxkbcommon-x11-0"))

    with pytest.raises(SystemRequirementError) as raised:
        check_can_show_window()

    message = str(raised.value)
    assert "\n" not in message
    assert message.endswith("sudo apt install libxcb-cursor0 libxkbcommon-x11-0")
    for present in set(ALL_PACKAGES) - {"libxcb-cursor0", "libxkbcommon-x11-0"}:
        assert present not in message


def test_all_libraries_missing(linux_x11: pytest.MonkeyPatch) -> None:
    linux_x11.setattr(platform_check, "_loadable", lambda _library: False)
    with pytest.raises(SystemRequirementError, match="sudo apt install") as raised:
        check_can_show_window()
    assert str(raised.value).endswith(" ".join(ALL_PACKAGES))


@pytest.mark.parametrize("display", [None, ""])
def test_no_display(linux_x11: pytest.MonkeyPatch, display: str | None) -> None:
    if display is None:
        linux_x11.delenv("DISPLAY")
    else:
        linux_x11.setenv("DISPLAY", display)
    # Missing libraries do not matter yet: without a display there is nothing to draw on.
    linux_x11.setattr(platform_check, "_loadable", lambda _library: False)

    with pytest.raises(SystemRequirementError) as raised:
        check_can_show_window()

    message = str(raised.value)
    assert "No display" in message
    assert "DISPLAY" in message
    assert "leaddesk screenshot" in message, "should point to what works without a display"
    assert "apt install" not in message


def test_explicit_xcb_is_checked(linux_x11: pytest.MonkeyPatch) -> None:
    linux_x11.setenv("QT_QPA_PLATFORM", "xcb")
    linux_x11.setenv("WAYLAND_DISPLAY", "wayland-0")  # the explicit choice wins
    linux_x11.setattr(platform_check, "_loadable", missing("libxcb-xkb1"))
    with pytest.raises(SystemRequirementError, match="libxcb-xkb1"):
        check_can_show_window()


@pytest.mark.parametrize(
    "environment",
    [
        {"QT_QPA_PLATFORM": "offscreen"},
        {"QT_QPA_PLATFORM": "wayland"},
        {"QT_QPA_PLATFORM": "wayland;xcb"},
        {"QT_QPA_PLATFORM": "minimal"},
        {"WAYLAND_DISPLAY": "wayland-0"},
    ],
    ids=lambda env: ",".join(f"{k}={v}" for k, v in env.items()),
)
def test_no_xcb_check_for_other_platforms(
    linux_x11: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    linux_x11.delenv("DISPLAY")
    linux_x11.setattr(platform_check, "_loadable", lambda _library: False)
    for name, value in environment.items():
        linux_x11.setenv(name, value)
    check_can_show_window()  # does not raise


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_no_check_outside_linux(linux_x11: pytest.MonkeyPatch, platform: str) -> None:
    linux_x11.setattr(sys, "platform", platform)
    linux_x11.delenv("DISPLAY")
    linux_x11.setattr(platform_check, "_loadable", lambda _library: False)
    check_can_show_window()  # does not raise


def test_loadable_on_this_machine() -> None:
    assert platform_check._loadable("libc.so.6") is (sys.platform.startswith("linux"))
    assert platform_check._loadable("libleaddesk-surely-not-here.so.0") is False


# `leaddesk` without a command -------------------------------------------------------


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """Records, instead of starting, the window or an event loop; isolates data and log."""
    started: list[str] = []

    def start(*_args: object, **_kwargs: object) -> int:
        started.append("window")
        return 0

    monkeypatch.setattr(leaddesk.ui.app, "run_app", start)
    monkeypatch.setattr(QApplication, "exec", start)
    monkeypatch.setenv("LEADDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LEADDESK_DATABASE_URL", raising=False)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield started
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_leaddesk_without_libraries_says_what_to_install(
    linux_x11: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], windows: list[str]
) -> None:
    linux_x11.setattr(platform_check, "_loadable", missing("libxcb-cursor0"))

    status = cli.main([])

    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert captured.err.splitlines() == [
        "leaddesk: LeadDesk needs system libraries to open a window on X11 that are missing "
        "here; install them with: sudo apt install libxcb-cursor0"
    ]
    assert windows == []


def test_leaddesk_without_a_display(
    linux_x11: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    windows: list[str],
) -> None:
    linux_x11.delenv("DISPLAY")

    status = cli.main(["--data-dir", str(tmp_path / "elsewhere")])

    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("leaddesk: No display was found")
    assert "Traceback" not in captured.err
    assert windows == []


def test_with_everything_present_the_window_opens(
    linux_x11: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], windows: list[str]
) -> None:
    """The stand-in above is really on the path: main() reaches it when nothing is missing."""
    assert cli.main([]) == 0
    assert windows == ["window"]
    assert capsys.readouterr().err == ""
