"""Export speed (benchmark issue, point 7; exports issue, point 8): the time of each export file
format at each size of the scale generator. Goals: every file format together (``pipeline-atlas
export --format all``) in under 5 s at the shipped size, and the time growing linearly with the
graph.

    python bench/exchange.py [--sizes shipped,states-8,national,national-x4] [--rounds N]
        [--budget SECONDS] [--output docs/performance.md] [--quick] [--strict]

How it is measured. Each size's graph (``scale.graphs(size)``: the real graph and its synthetic
states, named graph by named graph, with the dataset's description added once as every export
adds it) is read into this process, which then forks one child per export: each of the twelve
file formats alone (``export(graphs, format=…)``), then all of them together as ``export --format
all`` writes them (``export_all``: the formats shared between one forked worker per core). The
child inherits the graph in memory, so nothing is read twice; the time is the child's wall time
from fork to exit. A child still running after the budget (``--budget``, 30 s a format, twice
that for all formats together) is killed with its workers, and the table says "stopped at budget";
a format stopped at one size is not run at the larger ones. The shipped size is timed ``--rounds``
times (median), the larger sizes once. Seconds per 100,000 quads show the growth: linear growth
keeps them flat. Results are printed, written between this script's markers of the output file,
and plotted (log-log, seconds against quads) in ``docs/performance/exchange.png``. Timings belong
here, not in the tests: the machines are noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # bench/ is not a package
from common import ROOT, machine, measure, ratio
from report import write_section

TARGET_S = 5.0  # every file format together at the shipped size
LINEAR_WITHIN = 1.5  # largest over smallest seconds per quad that still counts as linear
BUDGET_S = 30.0  # a format alone; all formats together get twice this
ALL = "all together"
BEGIN = "<!-- bench/exchange.py: begin -->"
END = "<!-- bench/exchange.py: end -->"
PLOT = ROOT / "docs" / "performance" / "exchange.png"

Graphs = Mapping[str, Sequence[ox.Quad]]


class OverBudget(Exception):
    """The child passed its time budget and was killed."""


def in_child(work: Callable[[], object], budget_s: float) -> None:
    """Run ``work`` in a child forked from this process (its own process group, so that the
    workers it forks go with it); raise :class:`OverBudget` after killing the group when it runs
    past ``budget_s``, ``RuntimeError`` when it fails."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            os.setpgid(0, 0)
            work()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    os.setpgid(pid, pid)  # also here: no race with the kill below
    deadline = time.perf_counter() + budget_s
    status = None
    try:
        while status is None:
            done, code = os.waitpid(pid, os.WNOHANG)
            if done:
                status = code
            elif time.perf_counter() > deadline:
                raise OverBudget
            else:
                time.sleep(0.002)
    finally:
        if status is None:  # over budget or interrupted: stop the child and its workers
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"the export child failed (status {status})")


@dataclass(frozen=True)
class Cell:
    """One export at one size: median seconds, or ``None`` when stopped or skipped."""

    seconds: float | None
    note: str = ""  # "stopped" (at this size) or "skipped" (stopped at a smaller size)


def warm_up(graphs: Graphs, folder: Path) -> None:
    """Export a small slice of the graph in every format here, so that each exporter's modules
    are imported before the children are forked (a child's import would count as export time)."""
    from pipeline_atlas.exchange import FILE_FORMATS, export, with_metadata
    from pipeline_atlas.exchange.files import default_name

    small = with_metadata({name: list(quads[:40]) for name, quads in graphs.items()})
    for fmt in FILE_FORMATS:
        export(small, format=fmt, output=folder / default_name(fmt))
    _empty(folder)


def _empty(folder: Path) -> None:
    for entry in folder.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def time_size(
    graphs: Graphs, *, rounds: int, budget_s: float, skip: set[str], folder: Path
) -> dict[str, Cell]:
    """Each file format alone and all together (``export_all``), each in a forked child with a
    budget; the formats in ``skip`` are not run. ``skip`` gets the formats stopped here."""
    from pipeline_atlas.exchange import FILE_FORMATS, export, export_all
    from pipeline_atlas.exchange.files import default_name

    jobs: dict[str, tuple[Callable[[], object], float]] = {
        fmt: (
            lambda fmt=fmt: export(graphs, format=fmt, output=folder / default_name(fmt)),
            budget_s,
        )
        for fmt in FILE_FORMATS
    }
    jobs[ALL] = (lambda: export_all(graphs, folder=folder), 2 * budget_s)
    cells: dict[str, Cell] = {}
    for name, (work, budget) in jobs.items():
        if name in skip:
            cells[name] = Cell(None, "skipped")
            continue

        def once(work: Callable[[], object] = work, budget: float = budget) -> None:
            try:
                in_child(work, budget)
            finally:
                _empty(folder)

        try:
            timing = measure(once, rounds=rounds, warmup=0, budget_s=budget)
            cells[name] = Cell(timing.median)
        except OverBudget:
            cells[name] = Cell(None, "stopped")
            skip.add(name)
        shown = f"{cells[name].seconds:.2f} s" if cells[name].seconds else cells[name].note
        print(f"  {name}: {shown}", file=sys.stderr)
    return cells


def _seconds(cell: Cell, budget: float) -> str:
    if cell.seconds is not None:
        return f"{cell.seconds:.2f}"
    if cell.note == "stopped":
        return f"stopped at budget {budget:.0f} s"
    return f"not run (stopped at budget {budget:.0f} s at a smaller size)"


def _per_100k(cell: Cell, quads: int, budget: float) -> str:
    if cell.seconds is not None:
        return f"{cell.seconds / quads * 1e5:.2f}"
    if cell.note == "stopped":
        return f"> {budget / quads * 1e5:.2f} (stopped)"
    return "—"


def growth(results: dict[str, tuple[int, dict[str, Cell]]], name: str) -> float | None:
    """Largest over smallest seconds per quad of ``name`` across the sizes where it finished."""
    per_quad = [
        cells[name].seconds / quads
        for quads, cells in results.values()
        if cells[name].seconds is not None
    ]
    return max(per_quad) / min(per_quad) if len(per_quad) > 1 else None


def report(results: dict[str, tuple[int, dict[str, Cell]]], budget_s: float) -> tuple[str, bool]:
    from pipeline_atlas.exchange import FILE_FORMATS

    sizes = list(results)
    names = [*FILE_FORMATS, ALL]

    def budget(name: str) -> float:
        return 2 * budget_s if name == ALL else budget_s

    def label(name: str) -> str:
        return f"**{ALL}, as `export --format all` writes them**" if name == ALL else name

    lines = [
        BEGIN,
        "",
        f"Machine: {machine()}.",
        "",
        f"Exports, measured by `bench/exchange.py` on {time.strftime('%Y-%m-%d')}: each file "
        "format alone, then all of them together as `pipeline-atlas export --format all` writes "
        "them (the formats shared between one forked worker per core), each export in a child "
        "process forked with the size's graph in memory (reading the graph is not timed). "
        f"Budget: {budget_s:.0f} s a format, {2 * budget_s:.0f} s for all formats together; an "
        "export still running then is stopped, and not run at the larger sizes. The shipped "
        "size is the median of the rounds, the larger sizes one run.",
        "",
        f"Goals: every file format together in under {TARGET_S:.0f} s at the shipped size; "
        "the time growing linearly with the graph (seconds per 100,000 quads staying flat, "
        f"largest over smallest within {LINEAR_WITHIN}).",
        "",
        "![Export time of each format against the graph's size](performance/exchange.png)",
        "",
        "Seconds:",
        "",
        "| Format | " + " | ".join(f"{s} ({results[s][0]:,} quads)" for s in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for name in names:
        cells = [_seconds(results[s][1][name], budget(name)) for s in sizes]
        lines.append(f"| {label(name)} | " + " | ".join(cells) + " |")
    sums = []
    for s in sizes:
        quads, cells = results[s]
        done = [cells[f].seconds for f in FILE_FORMATS if cells[f].seconds is not None]
        if not done:
            sums.append("—")
        else:
            partial = len(done) < len(FILE_FORMATS)
            sums.append(("≥ " if partial else "") + f"{sum(done):.2f}")
    lines.append("| every format alone, added up | " + " | ".join(sums) + " |")
    lines += [
        "",
        "Seconds per 100,000 quads (flat means linear growth), and the largest over the "
        "smallest across the sizes where the export finished:",
        "",
        "| Format | " + " | ".join(sizes) + " | largest / smallest |",
        "|---|" + "---:|" * (len(sizes) + 1),
    ]
    spreads: dict[str, float] = {}
    for name in names:
        cells = [_per_100k(results[s][1][name], results[s][0], budget(name)) for s in sizes]
        spread = growth(results, name)
        if spread is not None:
            spreads[name] = spread
        shown = f"{spread:.2f}" if spread is not None else "—"
        lines.append(f"| {label(name)} | " + " | ".join(cells) + f" | {shown} |")

    ok = True
    verdicts = []
    if "shipped" in results:
        quads, cells = results["shipped"]
        total = cells[ALL].seconds
        if total is not None and total < TARGET_S:
            verdicts.append(
                f"- All formats together at the shipped size ({quads:,} quads): {total:.2f} s "
                f"against {TARGET_S:.0f} s ({ratio(total, TARGET_S)} of the goal): **met**."
            )
        else:
            ok = False
            shown = f"{total:.2f} s" if total is not None else "stopped at budget"
            missed = f"{total - TARGET_S:.2f} s" if total is not None else "more than the budget"
            verdicts.append(
                f"- All formats together at the shipped size ({quads:,} quads): {shown} "
                f"against {TARGET_S:.0f} s: **missed by {missed}** (the slowest formats are "
                "in the table above)."
            )
    if spreads:
        worst = max(spreads, key=lambda n: spreads[n])
        linear = spreads[worst] <= LINEAR_WITHIN
        ok &= linear
        bent = sorted((n for n, v in spreads.items() if v > LINEAR_WITHIN), key=spreads.get)
        stopped = [n for n in names if any(results[s][1][n].note for s in sizes)]
        verdict = (
            "**met**"
            if linear
            else f"**missed** by {', '.join(f'{n} ({spreads[n]:.2f})' for n in bent)}"
        )
        verdicts.append(
            f"- Linear growth: time per quad from the smallest to the largest size where each "
            f"export finished varies by at most {spreads[worst]:.2f} times ({worst}), against "
            f"{LINEAR_WITHIN} times: {verdict}."
            + (
                f" Past the budget, not measured: {', '.join(stopped)} (their lower bounds "
                "are in the table)."
                if stopped
                else ""
            )
        )
    lines += ["", *verdicts, "", END]
    return "\n".join(lines), ok


def plot(results: dict[str, tuple[int, dict[str, Cell]]], path: Path, budget_s: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from pipeline_atlas.exchange import FILE_FORMATS

    fig, ax = plt.subplots(figsize=(8, 5.5))
    ax.set_prop_cycle(color=plt.get_cmap("tab20").colors[: len(FILE_FORMATS)])
    for name in [*FILE_FORMATS, ALL]:
        points = [(q, c[name].seconds) for q, c in results.values() if c[name].seconds]
        stopped = [q for q, c in results.values() if c[name].note == "stopped"]
        style = {"linewidth": 2.5, "color": "black"} if name == ALL else {"linewidth": 1}
        if points:
            (line,) = ax.plot(*zip(*points, strict=True), marker="o", label=name, **style)
            color = line.get_color()
        else:
            color = style.get("color")
        budget = 2 * budget_s if name == ALL else budget_s
        if stopped:
            ax.plot(stopped, [budget] * len(stopped), marker="^", linestyle="", color=color,
                    label=None if points else f"{name} (stopped)")  # fmt: skip
    ax.axhline(TARGET_S, color="grey", linestyle=":", linewidth=1)
    ax.text(0.99, TARGET_S, "5 s goal (all, shipped) ", va="bottom", ha="right", fontsize=8,
            transform=ax.get_yaxis_transform())  # fmt: skip
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("quads")
    ax.set_ylabel("seconds (▲: stopped at the budget)")
    ax.set_title("Export time of each file format")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(output: Path, text: str) -> None:
    write_section(output, text, begin=BEGIN, end=END, heading="Exports")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help=f"comma-separated, from {', '.join(scale.SIZES)}")
    parser.add_argument("--rounds", type=int, default=3, help="rounds at the shipped size")
    parser.add_argument("--budget", type=float, default=BUDGET_S, help="seconds a format")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--plot", type=Path, default=PLOT)
    parser.add_argument("--quick", action="store_true", help="one round, a 10 s budget")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()
    sizes = scale.size_names(args.sizes)
    rounds, budget_s = (1, 10.0) if args.quick else (args.rounds, args.budget)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT / "src"))
    from pipeline_atlas.exchange import with_metadata

    started = time.perf_counter()
    results: dict[str, tuple[int, dict[str, Cell]]] = {}
    skip: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="bench-exchange-") as tmp:
        folder = Path(tmp)
        for size in sizes:
            began = time.perf_counter()
            graphs = with_metadata(scale.graphs(size))
            quads = sum(len(q) for q in graphs.values())
            print(
                f"exchange: {size}, {quads:,} quads, read in {time.perf_counter() - began:.0f} s",
                file=sys.stderr,
            )
            if not results:
                warm_up(graphs, folder)
            cells = time_size(
                graphs,
                rounds=rounds if size == "shipped" else 1,
                budget_s=budget_s,
                skip=skip,
                folder=folder,
            )
            results[size] = (quads, cells)
            del graphs
            gc.collect()
    text, ok = report(results, budget_s)
    print(text)
    write(args.output, text)
    plot(results, args.plot, budget_s)
    print(f"exchange: done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
