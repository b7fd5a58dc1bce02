"""Remote stores (benchmark issue, point 5): the competency questions through the library on an
Oxigraph server and on Virtuoso, beside the embedded store, at each size that loads in time.

    python bench/remote.py [--sizes shipped,states-8,national,national-x4]
        [--output docs/performance.md] [--quick] [--load-budget 300]

At each size of ``bench/scale.py`` the same ``queries/cq/`` questions (each with its header's
``example`` parameters) run through :meth:`Atlas.run` on three stores holding the same quads:

- **embedded**: ``Atlas.open(scale.store(size))``, the cached pyoxigraph store, read-only;
- **Oxigraph server**: ``oxigraph serve-read-only --union-default-graph`` on that same store
  directory (nothing to load: it opens the cached store), read through
  ``Atlas.open_endpoint(URL, union_default_graph=True)``;
- **Virtuoso**: a private ``virtuoso-t`` (Debian ``virtuoso-opensource``) with its own ini and a
  fresh database in a temporary folder, on free ports of 127.0.0.1, bulk-loaded from
  ``scale.nquads(size)`` with ``ld_dir`` / ``rdf_loader_run`` / ``checkpoint`` (the N-Quads keep
  their graph names), read through ``Atlas.open_endpoint(URL, union_default_graph=True)``.

Why Virtuoso's own default graph (every graph it holds, its system graphs included) and not the
README's way (``union_default_graph=False``: each request names the project's graphs in
``default-graph-uri``): the synthetic states live in graphs of their own namespace
(``…/synthetic/sNNN/graph/…``), which the library does not name (it names only the ``pag:``
graphs), and naming them all (about 100 graphs at states-8, 1,850 at national-x4) breaks on
Virtuoso 7.2: its answer carries more than the 100 headers Python's ``http.client`` reads, and
cq-015 and cq-017 time out or fail (SR319) at states-8. Reading the default graph is not what
the README advises for Virtuoso, and the row counts show where it differs (cq-014 at the shipped
size): those rows are flagged.

The Oxigraph server's union default graph is the set union of its graphs, as the embedded
store's is, so it is read with the flag on (the README allows both for Oxigraph).

Each question is run once untimed (the warm-up, which gives the row count), then timed with
:func:`common.measure` (median and p95; 2 s of timed runs per question at most, at least one);
a question whose first run takes over 2 s is timed by that one run (cold). Budgets keep the run
near 12 minutes: a question whose median on a store at the smaller size, times the growth in
quads, passes 30 s is not run on that store ("stopped at budget"), nor are the questions left
once a store has spent 60 s at a size (``--store-budget``); the Oxigraph server has
``--timeout-s 60`` and the client's HTTP timeout is 60 s. Any row count that differs from the
embedded store's is flagged: that is a correctness finding. Virtuoso's load has a time budget
(``--load-budget``, 300 s): a size whose load passes it is reported "not loaded: over budget"
and the larger sizes are skipped.
Every server is stopped and every temporary folder removed at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale
from common import ROOT, Timing, machine, measure, ms, ratio
from report import write_section

sys.path.insert(0, str(ROOT / "src"))
from pipeline_atlas import Atlas

BEGIN = "<!-- bench/remote.py: begin -->"
END = "<!-- bench/remote.py: end -->"
HEADING = "Remote stores"
PLOT = ROOT / "docs" / "performance" / "remote.png"
OXIGRAPH = ROOT / ".venv" / "bin" / "oxigraph"
STORES = ("embedded", "Oxigraph server", "Virtuoso")
START_TIMEOUT_S = 120.0
QUESTION_BUDGET_S = 30.0
"""A question expected to take longer than this (its median at the smaller size times the growth
of the graph) is not run at the larger size."""

VIRTUOSO_INI = """\
; Written by bench/remote.py: one benchmark's Virtuoso, on 127.0.0.1 only.
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping        = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = {folder}, {data}
; Virtuoso's advice for a machine with 2 GB to spare: 170,000 buffers of 8 KiB.
NumberOfBuffers      = 170000
MaxDirtyBuffers      = 130000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {folder}/vsp
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8
EnabledDavVSP        = 0

[SPARQL]
; Virtuoso cuts every answer at ResultSetMaxRows without saying so: above any answer of ours.
ResultSetMaxRows      = 1000000
MaxQueryExecutionTime = 300
"""


# --- servers -------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_answers(process: subprocess.Popen[bytes], query_url: str, timeout: float) -> bool:
    """Poll ``query_url`` with ``ASK {}`` until it answers, the process exits or time runs out."""
    probe = f"{query_url}?query=ASK%7B%7D"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    delay = 0.01
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with contextlib.suppress(OSError), opener.open(probe, timeout=5) as answer:
            if answer.status == 200:
                return True
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
    return False


def stop(process: subprocess.Popen[bytes] | None, timeout: float = 30.0) -> None:
    """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def oxigraph_server(store: Path) -> Iterator[tuple[str, float]]:
    """``oxigraph serve-read-only --union-default-graph`` on ``store``: (query URL, seconds until
    it answered)."""
    for _ in range(3):
        port = free_port()
        url = f"http://127.0.0.1:{port}/query"
        command = [str(OXIGRAPH), "serve-read-only", "--location", str(store)]
        command += ["--bind", f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", "60"]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if wait_until_answers(process, url, START_TIMEOUT_S):
                yield url, time.perf_counter() - start
                return
        finally:
            stop(process)
    raise RuntimeError(f"the Oxigraph server did not start: {' '.join(command)}")


@dataclass
class Virtuoso:
    """A ``virtuoso-t +foreground`` with its own ini and database in ``folder``."""

    folder: Path
    sql_port: int = 0
    http_port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def start(self) -> Virtuoso:
        binary = shutil.which("virtuoso-t")
        if binary is None:
            raise RuntimeError("no `virtuoso-t`: apt-get install virtuoso-opensource")
        for attempt in range(3):
            for leftover in self.folder.glob("virtuoso*"):
                leftover.unlink()
            (self.folder / "vsp").mkdir(exist_ok=True)
            self.sql_port, self.http_port = free_port(), free_port()
            if self.sql_port == self.http_port:
                continue
            ini = self.folder / "virtuoso.ini"
            ini.write_text(
                VIRTUOSO_INI.format(
                    folder=self.folder,
                    data=scale.DATA,
                    sql_port=self.sql_port,
                    http_port=self.http_port,
                )
            )
            with (self.folder / f"stdout-{attempt}.txt").open("wb") as out:
                self.process = subprocess.Popen(
                    [binary, "+configfile", str(ini), "+foreground"],
                    cwd=self.folder,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            if wait_until_answers(self.process, self.query_url, START_TIMEOUT_S):
                return self
            self.stop()
        raise RuntimeError(f"Virtuoso did not start; see {self.folder / 'virtuoso.log'}")

    def load(self, nquads: Path, budget_s: float) -> float | None:
        """Bulk-load ``nquads`` (its graph names kept) and checkpoint: seconds, or None when
        the load passed ``budget_s``."""
        isql = shutil.which("isql-vt") or shutil.which("isql")
        if isql is None:
            raise RuntimeError("no `isql-vt`: apt-get install virtuoso-opensource")
        script = (
            f"ld_dir('{nquads.parent}', '{nquads.name}', '{scale.SYNTHETIC}default');\n"
            "rdf_loader_run();\ncheckpoint;\n"
            "select ll_file, ll_error from DB.DBA.load_list where ll_error is not null;\n"
        )
        command = [isql, f"127.0.0.1:{self.sql_port}", "dba", "dba"]
        start = time.perf_counter()
        try:
            done = subprocess.run(
                command, input=script, capture_output=True, text=True, timeout=budget_s
            )
        except subprocess.TimeoutExpired:
            return None
        took = time.perf_counter() - start
        if done.returncode != 0 or "Error" in done.stdout + done.stderr:
            raise RuntimeError(f"Virtuoso's bulk load failed:\n{done.stdout}\n{done.stderr}")
        return took

    def stop(self) -> None:
        stop(self.process, timeout=30)  # a load still running: killed after 30 s
        self.process = None


def ask_csv(query_url: str, query: str) -> list[str]:
    """The values of a one-column SELECT, as CSV lines (the header left out)."""
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        query_url, data=data, headers={"Accept": "text/csv"}, method="POST"
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=300) as answer:
        return [line.strip().strip('"') for line in answer.read().decode().splitlines()[1:]]


OURS = 'FILTER(STRSTARTS(STR(?g), "https://w3id.org/pipeline-atlas/"))'


def count_quads(query_url: str) -> int:
    """Quads in the server's graphs under the project's namespace (a load check)."""
    return int(
        ask_csv(query_url, f"SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?s ?p ?o }} {OURS} }}")[0]
    )


# --- measuring -----------------------------------------------------------------------------------


@dataclass
class Cell:
    """One question on one store at one size: the timing and row count, or an error."""

    timing: Timing | None = None
    rows: int | None = None
    error: str = ""


@dataclass
class SizeResult:
    size: str
    quads: int
    cells: dict[str, dict[str, Cell]] = field(default_factory=dict)  # store → question → cell
    notes: dict[str, str] = field(default_factory=dict)  # store → load / start note
    skipped: dict[str, str] = field(default_factory=dict)  # store → why not measured


def questions(atlas: Atlas) -> list[tuple[str, dict[str, str]]]:
    """Every competency question with its header's example parameters."""
    return [
        (q.id, {p.name: p.example for p in q.params if p.example is not None})
        for q in atlas.catalogue()
        if q.id.startswith("cq-")
    ]


def run_all(
    atlas: Atlas,
    asked: list[tuple[str, dict[str, str]]],
    *,
    rounds: int,
    budget_s: float,
    store_budget_s: float,
    before: dict[str, Cell] | None = None,
    growth: float = 1.0,
) -> dict[str, Cell]:
    """Each question on one store. The first run is untimed (the warm-up; it gives the row
    count) unless it takes over ``budget_s``: then it is the only run. A question whose median
    on this store at the smaller size (``before``), times ``growth`` (the ratio of the sizes'
    quads), passes :data:`QUESTION_BUDGET_S` is not run; nor are the questions left once
    ``store_budget_s`` seconds have gone on this store."""
    cells: dict[str, Cell] = {}
    deadline = time.perf_counter() + store_budget_s
    for qid, params in asked:
        earlier = (before or {}).get(qid)
        if earlier is not None and earlier.error.startswith("stopped"):
            cells[qid] = Cell(error=earlier.error)
            continue
        if earlier is not None and earlier.timing is not None:
            expected = earlier.timing.median * growth
            if expected > QUESTION_BUDGET_S:
                cells[qid] = Cell(
                    error=f"stopped at budget {QUESTION_BUDGET_S:.0f} s "
                    f"(expected {expected:.0f} s from the smaller size)"
                )
                continue
        if time.perf_counter() > deadline:
            cells[qid] = Cell(error=f"stopped at budget {store_budget_s:.0f} s for this store")
            continue
        query = atlas.get_query(qid)
        try:
            start = time.perf_counter()
            rows = len(atlas.run(query, params=params).rows)
            first = time.perf_counter() - start
            if first > budget_s:
                cells[qid] = Cell(Timing((first,), stopped=True), rows)
                continue
            timing = measure(
                lambda query=query, params=params: atlas.run(query, params=params),
                rounds=rounds,
                warmup=0,
                budget_s=budget_s,
            )
            cells[qid] = Cell(timing, rows)
        except Exception as exc:
            cells[qid] = Cell(error=f"{type(exc).__name__}: {str(exc)[:240]}")
    return cells


def measure_size(
    size: str,
    *,
    rounds: int,
    budget_s: float,
    store_budget_s: float,
    load_budget_s: float,
    virtuoso: bool,
    before: SizeResult | None,
) -> SizeResult:
    store = scale.store(size)
    result = SizeResult(size, scale.quad_count(size))
    growth = result.quads / before.quads if before else 1.0

    def run_on(name: str, atlas: Atlas) -> None:
        earlier = before.cells.get(name) if before else None
        result.cells[name] = run_all(
            atlas,
            asked,
            rounds=rounds,
            budget_s=budget_s,
            store_budget_s=store_budget_s,
            before=earlier,
            growth=growth,
        )

    embedded = Atlas.open(store)
    try:
        asked = questions(embedded)
        run_on("embedded", embedded)
    finally:
        embedded.close()
    log(f"{size}: embedded done")

    with oxigraph_server(store) as (url, started):
        result.notes["Oxigraph server"] = f"opens the cached store, answers after {started:.1f} s"
        atlas = Atlas.open_endpoint(url, union_default_graph=True)
        run_on("Oxigraph server", atlas)
        atlas.close()
    log(f"{size}: Oxigraph server done")

    if not virtuoso:
        result.skipped["Virtuoso"] = "not loaded: a smaller size passed the load budget"
        return result
    with tempfile.TemporaryDirectory(prefix="bench-virtuoso-") as folder:
        server = Virtuoso(Path(folder))
        try:
            server.start()
            took = server.load(scale.nquads(size), load_budget_s)
            if took is None:
                result.skipped["Virtuoso"] = f"not loaded: over budget ({load_budget_s:.0f} s)"
                return result
            loaded = count_quads(server.query_url)
            check = "" if loaded == result.quads else f"; holds {loaded:,} quads, not all"
            result.notes["Virtuoso"] = f"bulk load and checkpoint {took:.1f} s{check}"
            log(f"{size}: Virtuoso loaded in {took:.1f} s ({loaded:,} quads)")
            atlas = Atlas.open_endpoint(server.query_url, union_default_graph=True)
            run_on("Virtuoso", atlas)
            atlas.close()
        finally:
            server.stop()
    log(f"{size}: Virtuoso done")
    return result


def log(text: str) -> None:
    print(f"remote: {text}", file=sys.stderr, flush=True)


# --- report --------------------------------------------------------------------------------------


def common(result: SizeResult) -> list[str]:
    """The questions timed on every store measured at this size."""
    return [
        qid
        for qid in result.cells["embedded"]
        if all(cells[qid].timing is not None for cells in result.cells.values())
    ]


def total(cells: dict[str, Cell], qids: list[str]) -> float:
    """Sum of the medians of ``qids``."""
    return sum(cells[q].timing.median for q in qids if cells[q].timing is not None)


def mismatches(result: SizeResult) -> list[str]:
    base = result.cells.get("embedded", {})
    found = []
    for store, cells in result.cells.items():
        if store == "embedded":
            continue
        for qid, cell in cells.items():
            if cell.error.startswith("stopped at budget") or base[qid].rows is None:
                continue
            if cell.error:
                found.append(f"{result.size}, {store}, {qid}: {cell.error}")
            elif cell.rows != base[qid].rows:
                found.append(
                    f"{result.size}, {store}, {qid}: {cell.rows} rows, embedded {base[qid].rows}"
                )
    return found


def times(cell: Cell) -> str:
    """``median / p95`` in ms, or why there is none."""
    if cell.timing is None:
        return cell.error
    once = " (one run)" if len(cell.timing.runs) == 1 else ""
    return f"{ms(cell.timing.median)} / {ms(cell.timing.p95)}{once}"


def times_ratio(a: float, b: float) -> str:
    """``a / b`` as ``1.5x``, with two significant digits under 0.1."""
    return f"{a / b:.2g}x" if b and a / b < 0.1 else ratio(a, b)


def size_table(result: SizeResult) -> list[str]:
    base = result.cells["embedded"]
    remote = [s for s in STORES[1:] if s in result.cells]
    head = "| Question | Rows | embedded median / p95 (ms) |"
    rule = "|---|---:|---:|"
    for store in remote:
        head += f" {store} median / p95 (ms) | ratio to embedded |"
        rule += "---:|---:|"
    lines = [head, rule]
    for qid, cell in base.items():
        rows = f"{cell.rows:,}" if cell.rows is not None else ""
        line = f"| {qid} | {rows} | {times(cell)} |"
        for store in remote:
            other = result.cells[store][qid]
            flag = ""
            if other.rows is not None and cell.rows is not None and other.rows != cell.rows:
                flag = f" (**{other.rows:,} rows**)"
            both = other.timing is not None and cell.timing is not None
            versus = (
                times_ratio(other.timing.median, cell.timing.median)  # type: ignore[union-attr]
                if both
                else ""
            )
            line += f" {times(other)}{flag} | {versus} |"
        lines.append(line)
    return lines


def middle_ratio(result: SizeResult, store: str) -> float:
    """The median over the questions timed on every store of ``store``'s median over the
    embedded store's."""
    qids = common(result)
    per = sorted(
        result.cells[store][q].timing.median / result.cells["embedded"][q].timing.median  # type: ignore[union-attr]
        for q in qids
    )
    return per[len(per) // 2] if per else float("nan")


def summary_table(results: list[SizeResult]) -> list[str]:
    lines = [
        "| Size | Quads | Store | Loaded | Questions timed on every store | Sum of their medians "
        "(ms) | Ratio to embedded | Median of the per-question ratios |",
        "|---|---:|---|---|---:|---:|---:|---:|",
    ]
    for r in results:
        qids = common(r)
        base = total(r.cells["embedded"], qids)
        for store in STORES:
            if store in r.skipped:
                lines.append(f"| {r.size} | {r.quads:,} | {store} | {r.skipped[store]} | | | | |")
                continue
            cells = r.cells[store]
            summed = total(cells, qids)
            note = r.notes.get(store, "cached store (`bench/scale.py`)")
            per = middle_ratio(r, store)
            mid = times_ratio(per, 1.0) if store != "embedded" else ""
            lines.append(
                f"| {r.size} | {r.quads:,} | {store} | {note} | {len(qids)} of {len(cells)} | "
                f"{ms(summed)} | {times_ratio(summed, base)} | {mid} |"
            )
    return lines


def plot(results: list[SizeResult], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.5))
    for store, marker in zip(STORES, "os^", strict=True):
        points = [
            (r.quads, total(r.cells[store], common(r)) * 1000, middle_ratio(r, store))
            for r in results
            if store in r.cells
        ]
        if points:
            xs, ys, ratios = zip(*points, strict=True)
            ax.plot(xs, ys, marker=marker, label=store)
            bx.plot(xs, ratios, marker=marker, label=store)
    ax.set_ylabel("sum of medians of the questions timed on every store (ms)")
    ax.set_title("Competency questions through the library")
    bx.set_ylabel("median over the questions of (store / embedded)")
    bx.set_title("Each question's median, relative to the embedded store")
    for axes in (ax, bx):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("quads")
        axes.grid(True, which="both", alpha=0.3)
        axes.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def report(
    results: list[SizeResult],
    *,
    rounds: int,
    budget_s: float,
    store_budget_s: float,
    load_budget_s: float,
    took: float,
) -> str:
    found = [m for r in results for m in mismatches(r)]
    loaded = [r.size for r in results if "Virtuoso" in r.cells]
    lines = [
        BEGIN,
        "",
        f"Measured by `bench/remote.py` on {machine()}.",
        "",
        "Goal (issue 11, point 5): the competency questions through the library on the Oxigraph "
        "server and on Virtuoso, at each size that loads in reasonable time, beside the embedded "
        "store. Each question runs with its header's example parameters through `Atlas.run`: "
        "once untimed (its row count), then up to "
        f"{rounds} timed rounds (at most {budget_s:.0f} s of timed runs per question and store). "
        "Both servers run on 127.0.0.1 on the same machine, so the ratios are the cost of HTTP, "
        "of the results' serialisation and parsing, and of the other engine. The Oxigraph "
        "server runs `serve-read-only --union-default-graph` on the embedded store's own "
        "directory and is read with `union_default_graph=True`. Virtuoso is read through its "
        "own default graph too (`union_default_graph=True`), not the README's way (naming the "
        "graphs with `default-graph-uri`): the library names only the project's `pag:` graphs, "
        "not the synthetic states', and naming all of them (about 100 at states-8) breaks on "
        "Virtuoso 7.2 (more than the 100 answer headers Python's `http.client` reads; cq-015 "
        "and cq-017 time out or fail with SR319). Virtuoso's default graph also holds its system "
        "graphs, and Virtuoso repeats a solution once per graph that holds the matched triple "
        "(checked on a two-graph example, with and without `FROM`), so some answers have more "
        "rows than the embedded store's: they are flagged below. Each store has "
        f"{store_budget_s:.0f} s per size; questions left when it runs out are marked "
        f'"stopped at budget", as is a question expected over {QUESTION_BUDGET_S:.0f} s on a '
        "store (its median at the smaller size times the growth in quads); a question whose "
        f'first run takes over {budget_s:.0f} s is timed by that run alone ("one run": caches '
        "cold, so it may read slower than a warm median). Virtuoso's load budget: "
        f"{load_budget_s:.0f} s (bulk load from the size's N-Quads file, then a checkpoint).",
        "",
        f"**Result**: met for {', '.join(loaded) or 'no size'} on Virtuoso and every size on the "
        "Oxigraph server"
        + (
            "; every row count matches the embedded store's."
            if not found
            else f"; **{len(found)} answers differ from the embedded store's** (below)."
        )
        + f" The whole run took {took:.0f} s.",
        "",
        "![Competency questions by store and size: the sum of the medians, and the median "
        "ratio to the embedded store](performance/remote.png)",
        "",
        *summary_table(results),
    ]
    if found:
        lines += ["", "Answers that differ from the embedded store's, or failed:", ""]
        lines += [f"- {m}" for m in found]
    for r in results:
        lines += ["", f"### {r.size} ({r.quads:,} quads)", "", *size_table(r)]
        for store, why in r.skipped.items():
            lines += ["", f"{store}: {why}."]
    lines += ["", END]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help=f"comma-separated, from {', '.join(scale.SIZES)}")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--quick", action="store_true", help="few rounds: a smoke run")
    parser.add_argument("--load-budget", type=float, default=300.0, help="Virtuoso, seconds")
    parser.add_argument(
        "--store-budget", type=float, default=60.0, help="seconds per store and size"
    )
    args = parser.parse_args()
    rounds, budget_s = (3, 1.0) if args.quick else (20, 2.0)
    start = time.perf_counter()
    results: list[SizeResult] = []
    virtuoso = True
    for size in scale.size_names(args.sizes):
        result = measure_size(
            size,
            rounds=rounds,
            budget_s=budget_s,
            store_budget_s=args.store_budget,
            load_budget_s=args.load_budget,
            virtuoso=virtuoso,
            before=results[-1] if results else None,
        )
        virtuoso = "Virtuoso" in result.cells
        results.append(result)
    plot(results, PLOT)
    text = report(
        results,
        rounds=rounds,
        budget_s=budget_s,
        store_budget_s=args.store_budget,
        load_budget_s=args.load_budget,
        took=time.perf_counter() - start,
    )
    print(text)
    write_section(args.output, text, begin=BEGIN, end=END, heading=HEADING)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
