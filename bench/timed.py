"""Record how long a make target took (benchmark issue, point 9: the test suite is a user too).

    python bench/timed.py start NAME     # at the start of the target's recipe
    python bench/timed.py stop NAME      # at its end (only reached when every step passed)

``stop`` appends one JSON line to ``build/timings.jsonl``: the target, when it started, its wall
seconds, the commit, the cores. ``bench/suite.py`` reports the latest line of each target. The
time is the recipe's own (lint, types, tests), after make's prerequisites (installs, the store).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMINGS = ROOT / "build" / "timings.jsonl"


def _start_file(name: str) -> Path:
    return ROOT / "build" / f".timing-{name}"


def commit() -> str:
    """The checked-out commit (short), with ``+changes`` when the work tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"start", "stop"}:
        print("usage: python bench/timed.py start|stop NAME", file=sys.stderr)
        return 2
    action, name = argv
    marker = _start_file(name)
    marker.parent.mkdir(parents=True, exist_ok=True)
    if action == "start":
        marker.write_text(json.dumps({"wall": time.time()}))
        return 0
    if not marker.is_file():
        print(f"timed.py: no start recorded for {name}", file=sys.stderr)
        return 0
    started = json.loads(marker.read_text())["wall"]
    record = {
        "target": name,
        "started": dt.datetime.fromtimestamp(started, dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.time() - started, 1),
        "commit": commit(),
        "cores": os.cpu_count(),
    }
    with TIMINGS.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
    marker.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
