"""BackgroundJob: work on a worker thread whose end never depends on its owner."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt

from leaddesk.ui.background import BackgroundJob


def _slow_work(release: threading.Event):
    def work(_progress, _should_cancel):
        release.wait(5)
        return 42

    return work


def test_the_thread_ends_even_when_its_owner_is_deleted_on_the_result(qtbot) -> None:
    # As File → Export does: the owner goes away as soon as the result arrives,
    # before the worker's queued "finished" can reach the job. The thread must
    # still end by itself; one left running aborts the process when destroyed.
    owner = QObject()
    release = threading.Event()
    job = BackgroundJob(_slow_work(release), what="test work", parent=owner)
    thread = job._thread
    owner_gone = threading.Event()
    owner.destroyed.connect(lambda *_args: owner_gone.set())
    # Hold the worker between its result and its "finished" until the owner is
    # gone, so "finished" finds no job to deliver to, whatever the timing.
    job._worker.succeeded.connect(
        lambda _result: owner_gone.wait(5), Qt.ConnectionType.DirectConnection
    )
    results: list[object] = []
    job.succeeded.connect(results.append)
    job.succeeded.connect(owner.deleteLater)
    job.start()
    release.set()
    try:
        qtbot.waitUntil(lambda: results == [42] and owner_gone.is_set(), timeout=5000)
        qtbot.waitUntil(thread.isFinished, timeout=5000)
        assert not thread.isRunning()
    finally:
        thread.quit()  # were it still running, destroying it would abort the run
        thread.wait(5000)


def test_finished_is_announced_after_the_result(qtbot) -> None:
    release = threading.Event()
    job = BackgroundJob(_slow_work(release), what="test work")
    events: list[str] = []
    job.succeeded.connect(lambda _result: events.append("succeeded"))
    job.finished.connect(lambda: events.append("finished"))
    job.start()
    release.set()
    qtbot.waitUntil(lambda: events == ["succeeded", "finished"], timeout=5000)
    assert not job.is_running()
