"""An announced change re-reads the agenda off the UI thread: the window never waits for it."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

import leaddesk.ui.agenda.snapshot_reader as reader_module
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.ui.agenda.dock import AgendaPanel
from leaddesk.ui.agenda.model import AgendaSnapshot, Section, load_snapshot
from tests.conftest import TEST_NOW


class GatedReads:
    """Stands in for load_snapshot: reads for real, then holds the result until released."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.threads: list[threading.Thread] = []
        self.results: list[AgendaSnapshot] = []
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def __call__(self, *args):
        with self._lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            self.threads.append(threading.current_thread())
        try:
            snapshot = load_snapshot(*args)
            self.started.set()
            # Bounded: a broken panel fails the test instead of hanging it.
            assert self.release.wait(5)
            self.results.append(snapshot)
            return snapshot
        finally:
            with self._lock:
                self.running -= 1


@pytest.fixture
def panel(qtbot, runner):
    panel = AgendaPanel(runner, dt.UTC)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    yield panel
    # Let a read still held by a test finish before the panel goes.
    panel.reader.wait(5)


@pytest.fixture
def gated(monkeypatch):
    reads = GatedReads()
    monkeypatch.setattr(reader_module, "load_snapshot", reads)
    yield reads
    reads.release.set()


def _names(panel: AgendaPanel, section: str) -> list[str]:
    return [item.name for item in panel.sections[section].model.items]


def test_a_change_is_read_on_a_worker_thread_and_filled_in_after(
    qtbot, runner, make_lead, panel, gated
):
    lead = make_lead("Fresh")
    runner.run(add_follow_up, lead, TEST_NOW + dt.timedelta(minutes=30), "Intro call")
    # The UI thread goes on while the read is held: the section still shows the old state.
    qtbot.waitUntil(gated.started.is_set)
    assert panel.reader.reading
    assert _names(panel, Section.TODAY) == []
    assert gated.threads[0] is not threading.main_thread()
    gated.release.set()
    qtbot.waitUntil(lambda: _names(panel, Section.TODAY) == ["Fresh"])
    assert panel.sections[Section.TODAY].header.count.text() == "1"
    assert not panel.reader.reading


def test_a_read_made_stale_by_a_newer_change_is_dropped_and_read_again(
    qtbot, runner, make_lead, panel, gated
):
    seen: list[int] = []
    panel.counts_changed.connect(lambda counts: seen.append(counts[Section.TODAY]))
    first, second = make_lead("First"), make_lead("Second")
    runner.run(add_follow_up, first, TEST_NOW + dt.timedelta(minutes=30), "Call")
    qtbot.waitUntil(gated.started.is_set)  # this read knows only "First"
    runner.run(add_follow_up, second, TEST_NOW + dt.timedelta(minutes=40), "Call")
    qtbot.wait(50)  # the second announcement arrives while the first read runs
    assert len(gated.threads) == 1  # not a second read beside it
    gated.release.set()
    qtbot.waitUntil(lambda: _names(panel, Section.TODAY) == ["First", "Second"])
    qtbot.waitUntil(lambda: not panel.reader.reading)
    # The stale "First only" result never reached the screen.
    assert seen == [2]
    assert len(gated.threads) == 2
    assert gated.most_at_once == 1


def test_flush_reads_at_once_and_the_late_background_result_is_dropped(
    qtbot, runner, make_lead, panel, gated, monkeypatch
):
    seen: list[int] = []
    panel.counts_changed.connect(lambda counts: seen.append(counts[Section.TODAY]))
    first, second = make_lead("First"), make_lead("Second")
    runner.run(add_follow_up, first, TEST_NOW + dt.timedelta(minutes=30), "Call")
    qtbot.waitUntil(gated.started.is_set)
    runner.run(add_follow_up, second, TEST_NOW + dt.timedelta(minutes=40), "Call")
    # flush() reads on this thread, without waiting for the held read.
    monkeypatch.setattr(reader_module, "load_snapshot", load_snapshot)
    panel.flush()
    assert _names(panel, Section.TODAY) == ["First", "Second"]
    gated.release.set()
    qtbot.waitUntil(lambda: not panel.reader.reading)
    qtbot.wait(20)
    assert _names(panel, Section.TODAY) == ["First", "Second"]
    assert seen == [2]


def test_closing_the_panel_while_it_reads_leaves_the_read_to_finish_harmlessly(
    qtbot, runner, make_lead, monkeypatch
):
    panel = AgendaPanel(runner, dt.UTC)
    panel.show()
    qtbot.waitExposed(panel)
    gated = GatedReads()
    monkeypatch.setattr(reader_module, "load_snapshot", gated)
    runner.run(add_follow_up, make_lead("Late"), TEST_NOW + dt.timedelta(minutes=5), "Call")
    qtbot.waitUntil(gated.started.is_set)
    panel.close()
    panel.deleteLater()
    qtbot.wait(20)  # the panel (and its timers) are gone; the read still holds
    gated.release.set()
    (thread,) = gated.threads
    thread.join(5)
    assert not thread.is_alive()
    assert gated.results[0].counts[Section.TODAY] == 1
    qtbot.wait(20)  # nothing is left to take the result, and nothing breaks
