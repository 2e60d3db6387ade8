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


def _busy_then(result: object, times: int, calls: list[int]):
    from leaddesk.errors import DatabaseBusyError

    def work(_progress, _should_cancel):
        calls.append(1)
        if len(calls) <= times:
            raise DatabaseBusyError
        return result

    return work


def test_background_work_that_finds_the_database_busy_is_retried_quietly(qtbot, monkeypatch):
    from leaddesk.ui import background

    monkeypatch.setattr(background, "BUSY_RETRY_DELAYS", (0.01, 0.02, 0.04))
    calls: list[int] = []
    job = BackgroundJob(_busy_then(7, 2, calls), what="test read", retry_busy=True)
    results: list[object] = []
    failures: list[str] = []
    job.succeeded.connect(results.append)
    job.failed.connect(failures.append)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    assert results == [7]
    assert failures == []
    assert len(calls) == 3


def test_busy_retries_end_in_the_one_sentence_when_the_database_stays_busy(qtbot, monkeypatch):
    from leaddesk.errors import BUSY_MESSAGE
    from leaddesk.ui import background

    monkeypatch.setattr(background, "BUSY_RETRY_DELAYS", (0.01, 0.01))
    calls: list[int] = []
    job = BackgroundJob(_busy_then(7, 99, calls), what="test read", retry_busy=True)
    failures: list[str] = []
    job.failed.connect(failures.append)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    assert failures == [BUSY_MESSAGE]
    assert len(calls) == 3  # two retries after the first try


def test_work_that_writes_is_not_retried_unless_asked(qtbot):
    calls: list[int] = []
    job = BackgroundJob(_busy_then(7, 1, calls), what="test write")
    failures: list[str] = []
    job.failed.connect(failures.append)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    assert len(calls) == 1
    assert len(failures) == 1


def test_an_uncounted_job_is_not_seen_by_work_running(qtbot):
    from leaddesk.ui.background import work_running

    release = threading.Event()
    seen: list[bool] = []

    def work(_progress, _should_cancel):
        seen.append(work_running())
        release.wait(5)

    job = BackgroundJob(work, what="integrity check", counted=False)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
        release.set()
    assert seen == [False]
