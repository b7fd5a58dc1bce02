"""The test suite's own speed (benchmark issue, point 9): `make check` and `make test` wall time.

    python bench/suite.py [--output docs/performance.md] [--run-test]

``make check`` (the fast lane) is run here and timed. ``make test`` takes some 20 minutes on two
cores, so it is not run again by default: the latest passing run that ``make test`` recorded in
``build/timings.jsonl`` (``bench/timed.py``) is reported, with its date and commit. When there is
none (a fresh clone), or with ``--run-test``, ``make test`` is run here first. The goal, from
the developers' brief: ``make test`` well under 30 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, machine, run_child  # bench/ is not a package
from report import write_section
from timed import TIMINGS

BEGIN = "<!-- bench/suite.py: begin -->"
END = "<!-- bench/suite.py: end -->"
TEST_GOAL_S = 30 * 60
CHECK_GOAL_S = 90  # the Makefile's promise for the fast lane


def latest(target: str) -> dict[str, object] | None:
    """The last record of ``target`` in ``build/timings.jsonl``, if any."""
    if not TIMINGS.is_file():
        return None
    found = None
    for line in TIMINGS.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if record.get("target") == target:
            found = record
    return found


def run_target(target: str) -> dict[str, object]:
    """Run ``make TARGET`` (which records itself) and return its record."""
    child = run_child(["make", "--no-print-directory", target], quiet=False)
    if child.returncode != 0:
        raise SystemExit(f"make {target} failed (exit {child.returncode}): no time to report")
    record = latest(target)
    if record is None:
        raise SystemExit(f"make {target} passed but recorded no time in {TIMINGS}")
    return record


def minutes(seconds: float) -> str:
    return f"{int(seconds // 60)} min {seconds % 60:04.1f} s"


def report(check: dict[str, object], test: dict[str, object], reused: bool) -> str:
    def row(name: str, record: dict[str, object], goal: float, goal_text: str) -> str:
        seconds = float(record["seconds"])  # type: ignore[arg-type]
        verdict = "met" if seconds <= goal else f"missed by {minutes(seconds - goal)}"
        return (
            f"| `make {name}` | {minutes(seconds)} | {goal_text} | {verdict} | "
            f"{record['started']} | {record['commit']} | {record['cores']} |"
        )

    lines = [
        BEGIN,
        "",
        f"The test suite, measured by `bench/suite.py` ({machine()}).",
        "",
        "| Command | Wall time | Goal | Goal met | Started (UTC) | Commit | Cores |",
        "|---|---:|---|---|---|---|---:|",
        row("check", check, CHECK_GOAL_S, "under 90 s"),
        row("test", test, TEST_GOAL_S, "well under 30 min"),
        "",
        "The times are the recipes' own (lint, types, tests) after make's prerequisites "
        "(`system-deps`, `install`), which take minutes on a fresh machine and a second after. "
        + (
            "`make test` was not run again for this report: the figure is its latest recorded "
            "run (`build/timings.jsonl`)."
            if reused
            else "Both were run for this report."
        ),
        "",
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--run-test", action="store_true", help="run make test again")
    args = parser.parse_args(argv)
    test = None if args.run_test else latest("test")
    reused = test is not None
    if test is None:
        test = run_target("test")
    check = run_target("check")
    text = report(check, test, reused)
    print(text)
    write_section(args.output, text, begin=BEGIN, end=END, heading="The test suite")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
