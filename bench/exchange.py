"""Export speed (issue 10, point 8): exporting the whole graph to every file format together takes
under 5 s at the shipped size, and the time grows linearly with the graph.

    python bench/exchange.py [--rounds N] [--sizes 1,2,4,8] [--output docs/performance.md]

Part 1 exports the shipped graph (``build/store``, or the graph built in memory) to every file
format N times: all formats together as ``pipeline-atlas export --format all`` writes them
(the graph read once, the formats shared between one worker process per core: the target's
figure), and each format alone in this process; it reports the medians. Part 2 repeats it on copies
of the data made k times larger by :func:`scaled` (each copy's IRIs and named graphs moved to the
synthetic namespace ``https://w3id.org/pipeline-atlas/synthetic/``, never mixed into the real
data) and reports seconds per 100,000 triples at each size: linear growth keeps that figure flat.
(The benchmark issue's national-scale generator replaces the copies when it lands.) Results are
printed and written between the markers of the output file. Timings belong here, not in the
tests: the machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from report import write_section  # noqa: E402 (bench/ is not a package)

TARGET_S = 5.0
BEGIN = "<!-- bench/exchange.py: begin -->"
END = "<!-- bench/exchange.py: end -->"
ID = "https://w3id.org/pipeline-atlas/id/"
GRAPH = "https://w3id.org/pipeline-atlas/graph/"
SYNTHETIC = "https://w3id.org/pipeline-atlas/synthetic/"

Graphs = Mapping[str, Sequence[ox.Quad]]


def scaled(graphs: Graphs, factor: int) -> dict[str, list[ox.Quad]]:
    """``graphs`` plus ``factor - 1`` copies of its data graphs (not the ontology's), each copy's
    node IRIs and graph names under ``SYNTHETIC + "copy-<i>/"``. Deterministic."""
    from pipeline_atlas.exchange.model import is_data_graph

    out: dict[str, list[ox.Quad]] = {name: list(quads) for name, quads in graphs.items()}
    for copy in range(1, factor):
        base = f"{SYNTHETIC}copy-{copy}/"

        def move(term: ox.NamedNode, base: str = base) -> ox.NamedNode:
            if term.value.startswith(ID):
                return ox.NamedNode(base + "id/" + term.value[len(ID) :])
            return term

        for name, quads in graphs.items():
            if not is_data_graph(name):
                continue
            graph = ox.NamedNode(base + "graph/" + name[len(GRAPH) :])
            out[graph.value] = [
                ox.Quad(
                    move(q.subject) if isinstance(q.subject, ox.NamedNode) else q.subject,
                    q.predicate,
                    move(q.object) if isinstance(q.object, ox.NamedNode) else q.object,
                    graph,
                )
                for q in quads
            ]
    return out


def time_all(graphs: Graphs, rounds: int) -> tuple[dict[str, float], float]:
    """Median seconds per file format (one after the other, in this process) and of all formats
    together as ``pipeline-atlas export --format all`` writes them (``export_all``: the formats
    shared between one worker per core), over ``rounds`` rounds."""
    from pipeline_atlas.exchange import FILE_FORMATS, export, export_all, with_metadata
    from pipeline_atlas.exchange.files import default_name

    graphs = with_metadata(dict(graphs))
    per_format: dict[str, list[float]] = {fmt: [] for fmt in FILE_FORMATS}
    totals: list[float] = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            export_all(graphs, folder=folder)
            totals.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as folder:
            for fmt in FILE_FORMATS:
                began = time.perf_counter()
                export(graphs, format=fmt, output=Path(folder) / default_name(fmt))
                per_format[fmt].append(time.perf_counter() - began)
    return {fmt: statistics.median(v) for fmt, v in per_format.items()}, statistics.median(totals)


def triples(graphs: Graphs) -> int:
    return sum(len(quads) for quads in graphs.values())


def report(
    shipped: tuple[int, dict[str, float], float], growth: list[tuple[int, int, float, float]]
) -> tuple[str, bool]:
    size, per_format, total = shipped
    ok = total < TARGET_S
    lines = [
        BEGIN,
        "",
        f"Exports, measured by `bench/exchange.py` on {time.strftime('%Y-%m-%d')} "
        f"({os.cpu_count()} cores). Target: every file format together in under "
        f"{TARGET_S:.0f} s at the shipped size ({size:,} quads); time growing linearly with "
        "the graph.",
        "",
        "| Format (one after the other, one process) | Median (s) |",
        "|---|---:|",
    ]
    lines += [f"| {fmt} | {seconds:.2f} |" for fmt, seconds in per_format.items()]
    lines += [
        f"| **all together, as `export --format all` writes them** | **{total:.2f}** "
        f"({'met' if ok else 'NOT met'}) |",
        "",
        "Growth (x k: k copies of the data, the extra ones in the synthetic namespace). Seconds "
        "per 100,000 quads that stay flat mean linear growth:",
        "",
        "| Size | Quads | All formats, one after the other (s) | per 100,000 quads | "
        "All together, `--format all` (s) | per 100,000 quads |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for factor, quads, sequential, together in growth:
        lines.append(
            f"| x{factor} | {quads:,} | {sequential:.2f} | {sequential / quads * 1e5:.2f} "
            f"| {together:.2f} | {together / quads * 1e5:.2f} |"
        )
    if growth:

        def spread(values: list[float]) -> float:
            return max(values) / min(values)

        one = spread([s / q for _, q, s, _ in growth])
        both = spread([t / q for _, q, _, t in growth])
        linear = one < 1.5
        ok &= linear
        lines += [
            "",
            f"Largest over smallest time per quad: {one:.2f} one format after the other "
            f"({'linear' if linear else 'NOT linear'}, within 1.5), {both:.2f} with "
            "`--format all`. Where the shared run grows faster than the formats one by one, "
            "the cause is not measured yet; a likely one is the two forked workers copying the "
            "parent's memory pages as they touch them (the larger sizes are timed once, not the "
            "median of the rounds).",
        ]
    lines += ["", END]
    return "\n".join(lines), ok


def write(output: Path, text: str) -> None:
    write_section(output, text, begin=BEGIN, end=END, heading="Exports")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="1,2,4,8", help="copies of the data, comma-separated")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT / "src"))
    from pipeline_atlas import Atlas
    from pipeline_atlas.build.load import graphs_of

    with Atlas.open_default() as atlas:
        graphs = graphs_of(atlas)
    per_format, total = time_all(graphs, args.rounds)
    growth = []
    for factor in (int(x) for x in args.sizes.split(",") if x.strip()):
        big = scaled(graphs, factor)
        each, together = time_all(big, 1 if factor > 2 else args.rounds)
        sequential = sum(each.values())
        growth.append((factor, triples(big), sequential, together))
        quads = triples(big)
        print(f"x{factor}: {quads:,} quads, {sequential:.2f} s, {together:.2f} s", file=sys.stderr)
    text, ok = report((triples(graphs), per_format, total), growth)
    print(text)
    write(args.output, text)
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
