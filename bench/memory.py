"""Memory (benchmark issue, point 8): peak RSS of the build, the endpoint and the explorer at each
size, gathered from what the other benchmarks recorded (``common.record_memory``) while they ran.

    python bench/memory.py [--output docs/performance.md]

Run it after the others (``make bench`` does). A figure is the peak resident set (``VmHWM`` or
``wait4``'s ``ru_maxrss``) of the process that did the work, in MiB; the endpoint's includes its
query workers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import MEMORY, ROOT, machine  # bench/ is not a package
from report import write_section
from scale import SIZES

BEGIN = "<!-- bench/memory.py: begin -->"
END = "<!-- bench/memory.py: end -->"


def records() -> list[dict[str, object]]:
    if not MEMORY.is_dir():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(MEMORY.glob("*.json"))]


def report(found: list[dict[str, object]]) -> str:
    components = sorted({str(r["component"]) for r in found})
    sizes = [s for s in SIZES if any(r["size"] == s for r in found)]
    table = {(str(r["component"]), str(r["size"])): r for r in found}
    dates = sorted({str(r["date"]) for r in found})
    lines = [
        BEGIN,
        "",
        f"Peak resident memory in MiB, recorded by the other benchmarks as they ran ({machine()}; "
        f"measured on {', '.join(dates) or 'no date'}). A blank cell: not run at that size (the "
        "section of that benchmark says why).",
        "",
    ]
    if not found:
        lines += ["Nothing recorded yet: run `make bench`.", "", END]
        return "\n".join(lines)
    lines += [
        "| What | " + " | ".join(sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    notes = []
    for component in components:
        cells = []
        for size in sizes:
            r = table.get((component, size))
            cells.append(f"{float(r['peak_rss_mib']):,.0f}" if r else "")  # type: ignore[arg-type]
            if r and r.get("note"):
                notes.append(f"- {component}, {size}: {r['note']}")
        lines.append(f"| {component} | " + " | ".join(cells) + " |")
    lines += ["", *notes, "", END] if notes else ["", END]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    args = parser.parse_args(argv)
    text = report(records())
    print(text)
    write_section(args.output, text, begin=BEGIN, end=END, heading="Memory")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
