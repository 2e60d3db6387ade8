"""A workbook is read on a worker thread: the window stays responsive, shows that it
is reading, and can stop waiting."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWizard

from leaddesk.ui.import_wizard.session import PendingRead, SourceRead

XLSX = Path(__file__).resolve().parents[2] / "fixtures" / "xlsx" / "contacts.xlsx"
NEXT = QWizard.WizardButton.NextButton
SLOW_SECONDS = 0.6


@pytest.fixture
def slow_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every workbook read takes SLOW_SECONDS longer (a big workbook); the threads used."""
    threads: list[int] = []
    read = PendingRead.run

    def slow(self: PendingRead) -> SourceRead:
        threads.append(threading.get_ident())
        time.sleep(SLOW_SECONDS)
        return read(self)

    monkeypatch.setattr(PendingRead, "run", slow)
    return threads


def test_the_workbook_is_read_off_the_ui_thread_which_keeps_running(
    qtbot, open_wizard, slow_reads
) -> None:
    wizard = open_wizard()
    page = wizard.file_page
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()

    started = time.monotonic()
    page.set_path(XLSX)
    returned = time.monotonic() - started

    assert returned < SLOW_SECONDS / 2
    assert page.busy.isVisible()
    assert page.cancel_read_button.isVisible()
    assert page.busy_label.text() == "Reading contacts.xlsx…"
    assert not wizard.button(NEXT).isEnabled()
    qtbot.waitUntil(lambda: not page.is_reading(), timeout=10_000)
    timer.stop()

    assert slow_reads
    assert threading.get_ident() not in slow_reads
    # The event loop ran all along: the timer ticked while the sheet was read.
    assert len([t for t in ticks if started < t < started + SLOW_SECONDS]) >= 5
    assert page.busy.isHidden()
    assert page.summary.text().startswith("Excel sheet 'Contacts'")
    assert wizard.button(NEXT).isEnabled()


def test_cancel_stops_waiting_and_ignores_the_late_result(qtbot, open_wizard, slow_reads) -> None:
    wizard = open_wizard()
    page = wizard.file_page
    page.set_path(XLSX)

    qtbot.mouseClick(page.cancel_read_button, Qt.MouseButton.LeftButton)

    assert not page.is_reading()
    assert page.busy.isHidden()
    assert page.message.message() == "Stopped reading contacts.xlsx."
    qtbot.wait(int(SLOW_SECONDS * 1000) + 300)  # the worker ends meanwhile
    assert wizard.session.fmt is None
    assert page.summary.text() == ""
    assert not wizard.button(NEXT).isEnabled()


def test_choosing_another_file_while_reading_keeps_only_the_last(
    qtbot, open_wizard, slow_reads, tmp_path
) -> None:
    wizard = open_wizard()
    page = wizard.file_page
    page.set_path(XLSX)
    other = tmp_path / "leads.csv"
    other.write_text("Name,Email\nAda,ada@example.com\n", encoding="utf-8")

    page.set_path(other)
    qtbot.wait(int(SLOW_SECONDS * 1000) + 300)

    assert wizard.session.path == other
    assert page.summary.text().startswith("UTF-8, comma-separated, 2 columns")
    assert page.busy.isHidden()
