"""The undo journal's cost: a CLI move with and without its journal entry, and the window's looks.

Usage: python benchmarks/undo_journal.py LEADS DATA_DIR (demo leads are added up to LEADS).
Prints medians of 5 runs: a move of 1 and of 1,000 leads plain and journaled, one idle
look (PRAGMA data_version), and one read of outside changes (journal, and the scan for
changes the journal does not explain). Figures: benchmarks/README.md.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import select

from leaddesk.core.fields import BoardGrouping
from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.leads import move_leads_filling
from leaddesk.operations.outside_changes import read_outside_changes
from leaddesk.operations.undo_journal import journaled
from leaddesk.storage.change_watch import DataVersionWatch
from leaddesk.storage.database import Location, open_database
from leaddesk.storage.schema import leads

n = int(sys.argv[1])
d = Path(sys.argv[2])
d.mkdir(parents=True, exist_ok=True)
db = open_database(Location(data_dir=d, url=f"sqlite:///{d / 'leaddesk.sqlite3'}"))
ctx = OperationContext(db=db, actor="bench")
with db.reading() as c:
    have = len(list(c.execute(select(leads.c.id))))
if have < n:
    t = time.perf_counter()
    add_demo_leads(ctx, n - have, seed=3)
    print("demo", time.perf_counter() - t)
with db.reading() as c:
    ids = list(c.execute(select(leads.c.id).order_by(leads.c.id).limit(1000)).scalars())


def move(count, temp, journal):
    chosen = ids[:count]
    t = time.perf_counter()
    if journal:
        with journaled(ctx, "Move {leads}", chosen):
            move_leads_filling(ctx, chosen, BoardGrouping.TEMPERATURE, temp, {})
    else:
        move_leads_filling(ctx, chosen, BoardGrouping.TEMPERATURE, temp, {})
    return time.perf_counter() - t


for count in (1, 1000):
    plain, journ = [], []
    for rep in range(5):
        plain.append(move(count, "warm" if rep % 2 else "hot", False))
        journ.append(move(count, "cold" if rep % 2 else "hot", True))
    p, j = statistics.median(plain), statistics.median(journ)
    print(f"move {count}: plain {p * 1000:.1f} ms, journaled {j * 1000:.1f} ms, ratio {j / p:.2f}")
w = DataVersionWatch(db)
N = 20000
t = time.perf_counter()
for _ in range(N):
    w.changed()
print(f"idle look {(time.perf_counter() - t) / N * 1e6:.1f} us")
since = ctx.clock.now() - dt.timedelta(seconds=5)
times = []
for _ in range(5):
    t = time.perf_counter()
    r = read_outside_changes(ctx, 0, since)
    times.append(time.perf_counter() - t)
print(f"read_outside_changes journal-explained {statistics.median(times) * 1000:.1f} ms")
times = []
last = r.last_entry_id
for _ in range(5):
    t = time.perf_counter()
    read_outside_changes(ctx, last, since)
    times.append(time.perf_counter() - t)
print(f"read_outside_changes unexplained scan {statistics.median(times) * 1000:.1f} ms")
