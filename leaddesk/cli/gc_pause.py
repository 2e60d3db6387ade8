"""Keeping a command's start-up short while it imports heavy modules."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while heavy modules are imported.

    Imports make a great many objects, none of them garbage, which every
    collection walks again: pausing shortens the start-up of `leaddesk export`
    and `leaddesk import`.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
