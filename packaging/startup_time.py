"""Time from start to a painted board, frozen bundle against source.

  python packaging/startup_time.py [dist/leaddesk] [--runs 5] [--leads 200]

Each run is a whole `leaddesk screenshot` process on the same database of demo
leads: it starts Python, opens the database, builds the main window, paints
the board offscreen and writes the PNG. The source run uses this interpreter
with the repository on its path. Runs alternate between the two so a busy
machine slows both alike; the medians are printed with their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", type=Path, default=ROOT / "dist" / "leaddesk")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--leads", type=int, default=200)
    args = parser.parse_args(argv)
    suffix = ".exe" if sys.platform == "win32" else ""
    frozen = [str(args.bundle.resolve() / f"leaddesk-cli{suffix}")]
    source = [sys.executable, "-m", "leaddesk"]
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "LEADDESK_DATA_DIR": str(Path(scratch) / "data"),
            "LEADDESK_SKIP_FIRST_RUN": "1",
        }
        source_env = {**env, "PYTHONPATH": str(ROOT)}
        frozen_env = {key: value for key, value in env.items() if key != "PYTHONPATH"}
        subprocess.run(
            [*source, "demo", "--count", str(args.leads)],
            env=source_env,
            check=True,
            capture_output=True,
        )
        shot = str(Path(scratch) / "board.png")
        timings: dict[str, list[float]] = {"source": [], "frozen": []}
        for _ in range(args.runs + 1):  # the first round only warms the disk cache
            for name, command, run_env in (
                ("source", source, source_env),
                ("frozen", frozen, frozen_env),
            ):
                started = time.perf_counter()
                subprocess.run(
                    [*command, "screenshot", shot], env=run_env, check=True, capture_output=True
                )
                timings[name].append(time.perf_counter() - started)
    source_median = statistics.median(timings["source"][1:])
    frozen_median = statistics.median(timings["frozen"][1:])
    print(f"start to painted board, median of {args.runs}, {args.leads} leads:")
    print(f"  source {source_median:.2f} s")
    print(f"  frozen {frozen_median:.2f} s  ({frozen_median / source_median:.2f}x source)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
