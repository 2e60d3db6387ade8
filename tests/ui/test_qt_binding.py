"""Guards against known-bad Qt binding releases (see the pin in pyproject.toml)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(int, int)


def test_emitting_signals_does_not_corrupt_reference_counts(qapp):
    # PySide6 6.12.0 dropped one reference to True per emit and later aborted the
    # whole process in the middle of an import.
    emitter = _Emitter()
    received: list[int] = []
    emitter.fired.connect(lambda done, _total: received.append(done))
    before = sys.getrefcount(True)
    for index in range(2000):
        emitter.fired.emit(index, 2000)
    assert len(received) == 2000
    assert abs(sys.getrefcount(True) - before) < 50
