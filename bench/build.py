"""Build speed and memory (benchmark issue, points 3 and 8): load, SHACL validation and reasoning
at each size, and load throughput against ``oxigraph load`` on the same files.

    python bench/build.py [--sizes shipped,states-8,national,national-x4]
                          [--output docs/performance.md] [--quick] [--budget 300]

Each step runs in its own child process (``python bench/build.py --child STEP ...``), so that
its wall time and peak RSS are the step's alone:

* **load**: the library's load path, as ``build_store`` does it: every quad of the size's
  N-Quads file (``bench/scale.py``) parsed into its named graph before anything is written, then
  written into a fresh store directory with ``staged_store`` and ``EmbeddedStore.replace_graphs``;
* **oxigraph load**: ``oxigraph load --location DIR --file FILE`` on the same file (the
  practical limit). Throughput is quads per second; the goal is at least half of Oxigraph's;
* **SHACL**: ``validate(checks=["shacl"], incremental=True)`` over the size's graphs with a fresh
  cache (a full validation, which also writes the cache); then, with that cache, the same after
  one named graph changed (one city's English label removed from a ``local-laws``-sized graph:
  a violation that must be found) and with nothing changed;
* **reasoner**: ``infer_graph`` (owlready2 + HermiT) over the size's graphs, with an empty cache.

SHACL and the reasoner have a time budget per size (``--budget``); past it the step is stopped,
the table says so, and the larger sizes are not tried. Results are printed and written between
the markers of the output file, with a log-log plot in ``docs/performance/build.png``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale
from common import BENCH_BUILD, ROOT, ChildRun, machine, record_memory, run_child
from report import write_section

BEGIN = "<!-- bench/build.py: begin -->"
END = "<!-- bench/build.py: end -->"
PLOT = ROOT / "docs" / "performance" / "build.png"
OXIGRAPH = ROOT / ".venv" / "bin" / "oxigraph"
GOAL_RATIO = 0.5
BUDGETED = ("shacl", "shacl-changed", "shacl-unchanged", "reason")
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


# --- the child steps -----------------------------------------------------------------------------


def _graphs(size: str) -> dict[str, list]:
    return scale.graphs(size)


def changed_graph(graphs: dict[str, list]) -> tuple[str, list]:
    """The named graph the incremental run changes, and its new quads: the first synthetic
    state's (else California's) cities graph with its first English label removed."""
    names = sorted(g for g in graphs if g.endswith("/cities"))
    name = next((g for g in names if "/synthetic/" in g), names[0])
    quads = graphs[name]
    gone = next(q for q in quads if q.predicate.value == LABEL and q.object.language == "en")
    return name, [q for q in quads if q != gone]


def child(step: str, size: str, workdir: Path) -> dict[str, object]:
    """Run one step in this process; what it found goes to stdout as JSON."""
    from pipeline_atlas.paths import project_paths

    if step == "load":
        import pyoxigraph as ox

        from pipeline_atlas.build.load import group_quads, staged_store

        graphs = group_quads(ox.parse(path=scale.nquads(size), format=ox.RdfFormat.N_QUADS))
        with staged_store(workdir / "store") as store:
            written = store.replace_graphs(graphs)
        return {"quads": written}
    if step.startswith("shacl"):
        from pipeline_atlas.build.validate import validate

        graphs = _graphs(size)
        if step == "shacl-changed":
            name, quads = changed_graph(graphs)
            graphs[name] = quads
        report = validate(
            graphs,
            checks=["shacl"],
            paths=project_paths(),
            build_dir=workdir / "cache",
            incremental=True,
        )
        return {
            "findings": len(report.findings),
            "changed": list(report.shacl_changed) if report.shacl_changed is not None else None,
            "focus": report.shacl_focus,
        }
    if step == "reason":
        from pipeline_atlas.build import infer_graph

        inferred = infer_graph(_graphs(size), build_dir=workdir / "reasoner-cache")
        return {"inferred": len(inferred)}
    raise SystemExit(f"unknown step {step}")


# --- the parent ----------------------------------------------------------------------------------


@dataclass
class Step:
    run: ChildRun | None  # None: not run (a smaller size passed the budget)
    info: dict[str, object]


def run_step(step: str, size: str, workdir: Path, budget: float | None) -> Step:
    out = workdir / f"{step}.json"
    if step == "oxigraph":
        target = workdir / "oxigraph"
        shutil.rmtree(target, ignore_errors=True)
        cmd = [str(OXIGRAPH), "load", "--location", str(target), "--file", str(scale.nquads(size))]
    else:
        cmd = [sys.executable, __file__, "--child", step, "--size", size, "--workdir", str(workdir)]
    run = run_child(cmd, timeout_s=budget, env=None)
    info: dict[str, object] = {}
    if out.is_file():
        info = json.loads(out.read_text())
    if run.returncode != 0 and not run.timed_out:
        info["error"] = f"exit {run.returncode}"
    return Step(run, info)


def measure_size(size: str, budget: float, skip: set[str]) -> dict[str, Step]:
    results: dict[str, Step] = {}
    with tempfile.TemporaryDirectory(prefix=f"build-{size}-", dir=BENCH_BUILD) as tmp:
        workdir = Path(tmp)
        for step in ("load", "oxigraph", "shacl", "shacl-unchanged", "shacl-changed", "reason"):
            family = "shacl" if step.startswith("shacl") else step
            if family in skip or (step != "shacl" and family == "shacl" and not _done(results)):
                results[step] = Step(None, {})
                continue
            results[step] = result = run_step(
                step, size, workdir, budget if step in BUDGETED else None
            )
            assert result.run is not None
            seconds = f"{result.run.seconds:.1f} s"
            record_memory(
                f"build: {step}",
                size,
                result.run.peak_rss_mib,
                "stopped at budget" if result.run.timed_out else "",
            )
            print(
                f"build: {size} {step}: {seconds}, {result.run.peak_rss_mib:.0f} MiB "
                f"{result.info}{' (stopped at budget)' if result.run.timed_out else ''}",
                file=sys.stderr,
            )
            if result.run.timed_out and step in ("shacl", "reason"):
                skip.add(family)
        if (workdir / "oxigraph").exists():
            shutil.rmtree(workdir / "oxigraph", ignore_errors=True)
    return results


def _done(results: dict[str, Step]) -> bool:
    full = results.get("shacl")
    return bool(full and full.run and not full.run.timed_out and "error" not in full.info)


def cell(step: Step, budget: float) -> str:
    if step.run is None:
        return "not run (a smaller size passed the budget)"
    if step.run.timed_out:
        return f"stopped at budget {budget:.0f} s"
    if "error" in step.info:
        return f"failed ({step.info['error']})"
    return f"{step.run.seconds:,.1f}"


def mib(step: Step) -> str:
    return "-" if step.run is None else f"{step.run.peak_rss_mib:,.0f}"


def report(rows: list[tuple[str, int, dict[str, Step]]], budget: float, took: float) -> str:
    lines = [
        BEGIN,
        "",
        f"Measured by `bench/build.py` on {time.strftime('%Y-%m-%d')}: {machine()}. Each step "
        "runs in its own process (wall time and peak RSS of that process). Goal: the library's "
        f"load at least {GOAL_RATIO:.0%} of `oxigraph load`'s throughput on the same N-Quads "
        f"file. SHACL and the reasoner have a budget of {budget:.0f} s per size.",
        "",
        "| Size | Quads | Load (s) | quads/s | `oxigraph load` (s) | quads/s | Ratio | Goal "
        "| SHACL, full (s) | SHACL, one graph changed (s) | nodes validated | SHACL, unchanged "
        "(s) | Reasoner (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for size, quads, r in rows:
        load, ox = r["load"], r["oxigraph"]
        ok = load.run and ox.run and not load.info.get("error") and ox.run.returncode == 0
        if ok:
            assert load.run is not None and ox.run is not None
            mine, theirs = quads / load.run.seconds, quads / ox.run.seconds
            share = mine / theirs
            goal = (
                "met" if share >= GOAL_RATIO else f"missed by {GOAL_RATIO - share:.2f} (see below)"
            )
            speeds = (
                f"{load.run.seconds:,.1f} | {mine:,.0f} | {ox.run.seconds:,.1f} | {theirs:,.0f} "
                f"| {share:.2f} | {goal}"
            )
        else:
            speeds = f"{cell(load, budget)} | - | {cell(ox, budget)} | - | - | -"
        focus = r["shacl-changed"].info.get("focus")
        lines.append(
            f"| {size} | {quads:,} | {speeds} | {cell(r['shacl'], budget)} "
            f"| {cell(r['shacl-changed'], budget)} | {focus if focus is not None else '-'} "
            f"| {cell(r['shacl-unchanged'], budget)} | {cell(r['reason'], budget)} |"
        )
    lines += [
        "",
        "Peak RSS of each step (MiB; point 8, the memory of the build):",
        "",
        "| Size | Load | `oxigraph load` | SHACL, full | SHACL, one graph changed "
        "| SHACL, unchanged | Reasoner (Python; HermiT's JVM is a child, counted when waited) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, _quads, r in rows:
        lines.append(
            f"| {size} | {mib(r['load'])} | {mib(r['oxigraph'])} | {mib(r['shacl'])} "
            f"| {mib(r['shacl-changed'])} | {mib(r['shacl-unchanged'])} | {mib(r['reason'])} |"
        )
    lines += [
        "",
        "SHACL is incremental (`validate(..., incremental=True)`): a cache under "
        "`build/shacl/` keeps each named graph's digest, its subjects and the findings; the next "
        "run validates only the subjects of the changed graphs (before and after the change), "
        "the nodes that reach them in two steps (the farthest any shape reads) and the nodes "
        "sharing a value that a shape compares between nodes (FIPS codes, stage orders), "
        'against the triples those nodes can read. "One graph changed" removes one city\'s '
        "English label from the first synthetic state's cities graph (the shipped size: "
        'California\'s); the violation is found. "Unchanged" is a rerun with nothing changed: '
        "only the digests are computed. The reasoner already answers an unchanged input from "
        "its cache (`build/reasoner/`); it is not incremental per graph, because HermiT's "
        "consistency and classification are over the whole ontology and data at once.",
        "",
        f"Whole script: {took / 60:.1f} min.",
        "",
        "![Build time against quads, log-log](performance/build.png)",
        "",
        END,
    ]
    return "\n".join(lines)


def plot(rows: list[tuple[str, int, dict[str, Step]]], budget: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for step, label in (
        ("load", "library load"),
        ("oxigraph", "oxigraph load"),
        ("shacl", "SHACL, full"),
        ("shacl-changed", "SHACL, one graph changed"),
        ("reason", "reasoner"),
    ):
        points = [
            (quads, r[step].run.seconds)  # type: ignore[union-attr]
            for _size, quads, r in rows
            if r[step].run is not None and not r[step].run.timed_out  # type: ignore[union-attr]
        ]
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", label=label)
    ax.axhline(budget, color="grey", linestyle=":", label=f"budget {budget:.0f} s")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("quads")
    ax.set_ylabel("seconds (wall)")
    ax.set_title("Build steps against graph size")
    ax.legend(fontsize=8)
    fig.tight_layout()
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(PLOT, dpi=120)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help="comma-separated, default all four")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--quick", action="store_true", help="the shipped size only")
    parser.add_argument("--budget", type=float, default=300.0, help="seconds per SHACL/reasoner")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    if args.child:
        found = child(args.child, args.size, args.workdir)
        (args.workdir / f"{args.child}.json").write_text(json.dumps(found))
        return 0
    started = time.perf_counter()
    sizes = ["shipped"] if args.quick else scale.size_names(args.sizes)
    BENCH_BUILD.mkdir(parents=True, exist_ok=True)
    skip: set[str] = set()
    rows = []
    for size in sizes:
        quads = scale.quad_count(size)
        rows.append((size, quads, measure_size(size, args.budget, skip)))
    text = report(rows, args.budget, time.perf_counter() - started)
    print(text)
    write_section(args.output, text, begin=BEGIN, end=END, heading="Build")
    plot(rows, args.budget)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
