"""Endpoint speed (benchmark issue, points 4 and 8): throughput and p99 latency of
``pipeline-atlas serve`` under 16 concurrent clients, against bare ``oxigraph serve-read-only``
and ``rdflib-endpoint`` on the same data; the cost of the sandboxed workers; peak memory.

    python bench/endpoint.py [--sizes shipped,states-8,national,national-x4]
                             [--output docs/performance.md] [--quick]

The mix is every ``queries/cq/*.rq`` with its header's ``example`` parameters bound (as the
library binds them: a ``VALUES`` block), sent as full SPARQL text by SPARQL 1.1 Protocol POST
(``application/sparql-query``, JSON results). The servers run on free ports of 127.0.0.1 as
child processes of this one, which is the load generator: 16 threads, each with its own
keep-alive connection, each looping over the mix from its own starting point. After a warm-up,
the requests that complete within the window count: throughput is those per second, with their
p50 and p99 latency; non-200 answers and timeouts are errors. Before the load, one client sends
each query once to each server and the row counts are compared (a mismatch is reported).

- ours: ``pipeline-atlas serve --store DIR`` with its defaults (2 sandboxed workers, 10 s
  timeout, 2048 MB per worker, 100,000 rows);
- Oxigraph: ``oxigraph serve-read-only --location DIR --union-default-graph --timeout-s 10``
  on the same store directory (the union flag, as our default graph is the union; the timeout
  equal to ours, so that both give up on the same slow queries);
- rdflib-endpoint: its CLI (``rdflib-endpoint serve FILE.nq``, an in-memory ``Dataset`` whose
  default graph is the union) on the size's N-Quads, at the sizes whose load fits the budget.
  It cannot stop a query (one runs to the end and blocks its event loop), so a query that takes
  longer than the per-query budget once is left out of its mix (the server is restarted); the
  ratio to it is on the queries it answers (ours is run on that same sub-mix).

The worker isolation is measured apart, with one client, in this process: each query of the mix
on ``EmbeddedStore`` (pyoxigraph in-process) and through ``SandboxedStore`` (a worker process:
the text is inspected, sent over a socket, run, and the result pickled back), with the size of
the pickled result, ``ASK {}`` (the bare hop), and the JSON serialization the server adds.

Peak memory is the sum of ``VmHWM`` over the server process and its children (our workers),
read just before it is stopped. A PNG plot goes to ``docs/performance/endpoint.png``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import pickle
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale
from common import ROOT, machine, measure, ms, percentile, record_memory, rss_mib
from report import write_section

from pipeline_atlas.catalogue import load_catalogue
from pipeline_atlas.catalogue.sparql import bind_values

BEGIN = "<!-- bench/endpoint.py: begin -->"
END = "<!-- bench/endpoint.py: end -->"
PLOT = ROOT / "docs" / "performance" / "endpoint.png"
VENV_BIN = Path(sys.executable).parent

CLIENTS = 16
QUERY_TIMEOUT_S = 10.0  # ours by default; given to Oxigraph too
CLIENT_TIMEOUT_S = 120.0  # a socket gives up on an answer after this
START_BUDGET_S = 120.0  # a server must answer within this
# rdflib-endpoint's load (estimated from the smaller size): 60 s keeps it to the shipped size,
# as each question it cannot answer costs a restart (a load) and the whole run ~12 minutes
RDFLIB_LOAD_BUDGET_S = 60.0
RDFLIB_QUERY_BUDGET_S = 10.0  # one query on rdflib-endpoint, alone
WINDOW_S = {"shipped": 15.0, "states-8": 15.0, "national": 20.0, "national-x4": 20.0}
WARMUP_S = 3.0
ISOLATION_SIZES = ("shipped", "states-8")  # the hop does not depend on the graph's size
GOAL_VS_OXIGRAPH = 0.7
GOAL_VS_RDFLIB = 10.0
ACCEPT = "application/sparql-results+json"
X = "\u00d7"  # the multiplication sign of ratios


# -- the mix -------------------------------------------------------------------------------


def mix() -> list[tuple[str, str]]:
    """(id, full SPARQL text) of every competency question with its example parameters."""
    out = []
    for query in load_catalogue(ROOT / "queries" / "cq"):
        examples = {p.name: p.example for p in query.params if p.example is not None}
        out.append((query.id, bind_values(query.sparql, query.bind(examples))))
    return out


def short(query_id: str) -> str:
    return query_id[:6]


# -- servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (from /proc/PID/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def tree_rss_mib(pid: int) -> float:
    """Peak RSS (VmHWM) summed over ``pid`` and its descendants, in MiB."""
    total = 0.0
    for p in descendants(pid):
        with contextlib.suppress(OSError):
            total += rss_mib(p)
    return total


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    url: str
    started_s: float

    @property
    def host_port(self) -> tuple[str, int]:
        rest = self.url.split("//", 1)[1]
        host, port = rest.split("/", 1)[0].split(":")
        return host, int(port)

    @property
    def path(self) -> str:
        return "/" + self.url.split("//", 1)[1].split("/", 1)[1]


def answers(url: str) -> bool:
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    path = "/" + url.split("//", 1)[1].split("/", 1)[1]
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.request("GET", path + "?query=ASK%7B%7D", headers={"Accept": ACCEPT})
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


@contextlib.contextmanager
def running(
    name: str, command: Sequence[str], url: str, budget_s: float
) -> Iterator[Server | None]:
    """Start ``command``; yield a :class:`Server` once ``url`` answers ``ASK {}``, or ``None``
    when it has not within ``budget_s``. Always stopped (the whole process tree) on leaving."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(command), cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        ready = False
        while time.perf_counter() - start < budget_s and proc.poll() is None:
            if answers(url):
                ready = True
                break
            time.sleep(0.1)
        if not ready and proc.poll() is not None:
            raise SystemExit(f"{name} exited with {proc.returncode}: {' '.join(command)}")
        yield Server(name, proc, url, time.perf_counter() - start) if ready else None
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, up to 10 s, SIGKILL; then SIGKILL any child left (by its pid)."""
    children = [p for p in descendants(proc.pid) if p != proc.pid] if proc.poll() is None else []
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for pid in children:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def ours(store: Path, port: int) -> list[str]:
    return [str(VENV_BIN / "pipeline-atlas"), "serve", "--store", str(store), "--port", str(port)]


def oxigraph(store: Path, port: int) -> list[str]:
    return [
        str(VENV_BIN / "oxigraph"), "serve-read-only", "--location", str(store),
        "--bind", f"127.0.0.1:{port}", "--union-default-graph",
        "--timeout-s", f"{QUERY_TIMEOUT_S:g}",
    ]  # fmt: skip


def rdflib_endpoint(data: Path, port: int) -> list[str]:
    return [
        str(VENV_BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(port),
        str(data),
    ]  # fmt: skip


# -- clients -------------------------------------------------------------------------------


class Client:
    """One keep-alive connection that POSTs queries (reconnecting once if the server closed)."""

    def __init__(self, server: Server, timeout: float = CLIENT_TIMEOUT_S) -> None:
        self.host, self.port = server.host_port
        self.path = server.path
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None

    def post(self, text: str) -> tuple[int, bytes]:
        body = text.encode("utf-8")
        headers = {"Content-Type": "application/sparql-query", "Accept": ACCEPT}
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request("POST", self.path, body=body, headers=headers)
                answer = self.conn.getresponse()
                return answer.status, answer.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def complete(data: bytes) -> bool:
    """Whether a JSON result arrived whole: Oxigraph streams its answer, and one cut by its
    timeout is a 200 whose body stops mid-way (a cheap check: no parsing under load)."""
    tail = b"".join(data[-64:].split())
    return tail.endswith(b"]}}") or (b'"boolean"' in tail and tail.endswith(b"}"))


def rows_of(status: int, data: bytes) -> int | str:
    if status != 200:
        return f"HTTP {status}"
    try:
        answer = json.loads(data)
    except ValueError:
        return "cut short"
    if "boolean" in answer:
        return int(bool(answer["boolean"]))
    return len(answer["results"]["bindings"])


def check(server: Server, queries: Sequence[tuple[str, str]], timeout: float) -> dict[str, object]:
    """Each query once, one client: its row count, or why there is none."""
    out: dict[str, object] = {}
    for query_id, text in queries:
        client = Client(server, timeout)
        try:
            out[query_id] = rows_of(*client.post(text))
        except TimeoutError:
            out[query_id] = "timeout"
        except OSError as exc:
            out[query_id] = type(exc).__name__
        finally:
            client.close()
    return out


@dataclass
class Load:
    """Requests completed in the window: their latencies (s), errors, and the window (s)."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    window_s: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.window_s if self.window_s else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 99) if self.latencies else float("nan")


def load(
    server: Server, queries: Sequence[tuple[str, str]], warmup_s: float, window_s: float
) -> Load:
    """``CLIENTS`` threads loop over ``queries`` for ``warmup_s`` + ``window_s``; the requests
    that finish inside the window count."""
    result = Load(window_s=window_s)
    lock = threading.Lock()
    t0 = time.perf_counter() + warmup_s
    t_end = t0 + window_s

    def client_loop(number: int) -> None:
        client = Client(server)
        i = number * len(queries) // CLIENTS
        try:
            while time.perf_counter() < t_end:
                _, text = queries[i % len(queries)]
                i += 1
                start = time.perf_counter()
                try:
                    status, data = client.post(text)
                    ok = status == 200 and complete(data)
                except OSError:
                    ok = False
                    client.close()
                done = time.perf_counter()
                if t0 <= done <= t_end:
                    with lock:
                        if ok:
                            result.latencies.append(done - start)
                        else:
                            result.errors += 1
        finally:
            client.close()

    threads = [threading.Thread(target=client_loop, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


# -- worker isolation ----------------------------------------------------------------------


@dataclass
class Isolation:
    query_id: str
    embedded_s: float
    sandboxed_s: float
    pickled_kib: float
    pickle_s: float
    json_s: float


def isolation(
    store_dir: Path, queries: Sequence[tuple[str, str]], rounds: int
) -> tuple[float, list[Isolation]]:
    """``ASK {}`` through the sandbox (the bare hop), and each query in-process vs sandboxed."""
    from pipeline_atlas.server.formats import negotiate, serialize_result
    from pipeline_atlas.store.embedded import EmbeddedStore
    from pipeline_atlas.store.sandbox import SandboxedStore

    embedded = EmbeddedStore(store_dir, read_only=True)
    sandbox = SandboxedStore.around(embedded)
    fmt = negotiate(ACCEPT, "select")
    assert fmt is not None
    try:
        sandbox.start()
        hop = measure(lambda: sandbox.query("ASK {}"), rounds=rounds * 5, warmup=2).median
        out = []
        for query_id, text in queries:
            inside = measure(lambda t=text: embedded.query(t), rounds=rounds, warmup=1, budget_s=3)
            through = measure(lambda t=text: sandbox.query(t), rounds=rounds, warmup=1, budget_s=3)
            result = embedded.query(text)
            data = pickle.dumps(result)
            pickling = measure(lambda r=result: pickle.loads(pickle.dumps(r)), rounds=rounds)
            to_json = measure(lambda r=result: serialize_result(r, fmt), rounds=rounds)
            out.append(
                Isolation(
                    query_id, inside.median, through.median, len(data) / 1024,
                    pickling.median, to_json.median,
                )
            )  # fmt: skip
        return hop, out
    finally:
        sandbox.close()
        embedded.close()


# -- one size ------------------------------------------------------------------------------


@dataclass
class Run:
    """One server at one size: start time, row counts, the load on the full mix (and on the
    rdflib sub-mix), peak RSS; ``note`` says why there is none."""

    started_s: float | None = None
    rows: dict[str, object] = field(default_factory=dict)
    full: Load | None = None
    sub: Load | None = None
    rss_mib: float | None = None
    note: str = ""


@dataclass
class SizeResult:
    quads: int
    runs: dict[str, Run]
    submix: list[str]
    isolation: tuple[float, list[Isolation]] | None = None


def run_size(
    size: str,
    queries: Sequence[tuple[str, str]],
    *,
    quick: bool,
    rdflib_ok: bool,
    rdflib_estimate: float | None,
    slow: set[str],
) -> SizeResult:
    store_dir = scale.store(size)
    data = scale.nquads(size)
    quads = scale.quad_count(size)
    window = 5.0 if quick else WINDOW_S[size]
    warmup = 1.0 if quick else WARMUP_S
    runs: dict[str, Run] = {}
    print(f"endpoint: {size} ({quads:,} quads)", file=sys.stderr)

    # rdflib-endpoint first: its sub-mix (what it answers within the budget) is also run on ours.
    rdflib = Run()
    submix: list[str] = []
    if not rdflib_ok:
        rdflib.note = "not run (stopped at budget at a smaller size)"
    elif rdflib_estimate is not None and rdflib_estimate > RDFLIB_LOAD_BUDGET_S:
        rdflib.note = (
            f"not run: load estimated {rdflib_estimate:.0f} s from the smaller size "
            f"(budget {RDFLIB_LOAD_BUDGET_S:.0f} s)"
        )
    else:
        rdflib = rdflib_run(data, queries, window, warmup, slow)
        submix = [q for q, rows in rdflib.rows.items() if isinstance(rows, int)]
    runs["rdflib-endpoint"] = rdflib
    sub = [q for q in queries if q[0] in submix]

    for name, command in (("ours", ours), ("Oxigraph", oxigraph)):
        port = free_port()
        run = Run()
        with running(
            name, command(store_dir, port), f"http://127.0.0.1:{port}/sparql", START_BUDGET_S
        ) as server:
            if server is None:
                run.note = f"stopped at budget {START_BUDGET_S:.0f} s (start)"
            else:
                run.started_s = server.started_s
                run.rows = check(server, queries, CLIENT_TIMEOUT_S)
                run.full = load(server, queries, warmup, window)
                if name == "ours" and sub:
                    run.sub = load(server, sub, warmup / 2, window / 2)
                run.rss_mib = tree_rss_mib(server.process.pid)
                label = (
                    "endpoint: ours (server and workers)"
                    if name == "ours"
                    else "endpoint baseline: oxigraph serve-read-only"
                )
                record_memory(label, size, run.rss_mib)
        runs[name] = run
        print(f"  {name}: {describe(run)}", file=sys.stderr)

    iso = None
    if size in ISOLATION_SIZES:
        iso = isolation(store_dir, queries, rounds=3 if quick else 10)
    return SizeResult(quads, runs, submix, iso)


def rdflib_run(
    data: Path, queries: Sequence[tuple[str, str]], window: float, warmup: float, slow: set[str]
) -> Run:
    """Load ``data`` in rdflib-endpoint; each query once (restarting after one that passed the
    budget; those in ``slow`` passed it at a smaller size and are not sent again); the load on
    the sub-mix of the queries it answered. Adds the queries that passed the budget to ``slow``."""
    run = Run()
    for query_id in slow:
        run.rows[query_id] = f"over {RDFLIB_QUERY_BUDGET_S:g} s at a smaller size"
    left = [q for q in queries if q[0] not in slow]
    while left:
        port = free_port()
        with running(
            "rdflib-endpoint",
            rdflib_endpoint(data, port),
            f"http://127.0.0.1:{port}/",
            RDFLIB_LOAD_BUDGET_S,
        ) as server:
            if server is None:
                run.note = f"stopped at budget {RDFLIB_LOAD_BUDGET_S:.0f} s (load)"
                return run
            run.started_s = server.started_s if run.started_s is None else run.started_s
            while left:
                query_id, text = left.pop(0)
                rows = check(server, [(query_id, text)], RDFLIB_QUERY_BUDGET_S)[query_id]
                run.rows[query_id] = (
                    f"over {RDFLIB_QUERY_BUDGET_S:g} s" if rows == "timeout" else rows
                )
                print(f"    rdflib {short(query_id)}: {run.rows[query_id]}", file=sys.stderr)
                if rows == "timeout":
                    slow.add(query_id)
                    break  # it is stuck in that query: start it again for the next
            if not left:
                sub = [q for q in queries if isinstance(run.rows.get(q[0]), int)]
                if sub:
                    run.sub = load(server, sub, warmup, window)
                run.rss_mib = tree_rss_mib(server.process.pid)
    return run


def describe(run: Run) -> str:
    if run.full is None and run.sub is None:
        return run.note or "no figures"
    parts = []
    for label, figure in (("mix", run.full), ("sub-mix", run.sub)):
        if figure is not None:
            parts.append(
                f"{label} {figure.throughput:.1f} q/s p50 {ms(figure.p50)} ms"
                f" p99 {ms(figure.p99)} ms"
                f" errors {figure.errors}"
            )
    return "; ".join(parts) + f"; RSS {run.rss_mib:.0f} MiB"


# -- the report ----------------------------------------------------------------------------


def _load_cells(figure: Load | None, note: str) -> list[str]:
    if figure is None:
        return [note or "—", "", "", ""]
    return [f"{figure.throughput:,.1f}", ms(figure.p50), ms(figure.p99), str(figure.errors)]


def _mismatches(result: SizeResult, queries: Sequence[tuple[str, str]]) -> list[str]:
    out = []
    for query_id, _ in queries:
        seen = {name: run.rows.get(query_id) for name, run in result.runs.items() if run.rows}
        shown = {name: rows for name, rows in seen.items() if rows is not None}
        if len({str(v) for v in shown.values()}) > 1:
            out.append(short(query_id) + ": " + ", ".join(f"{n} {v}" for n, v in shown.items()))
    return out


def _verdict(value: float | None, goal: float, what: str) -> str:
    if value is None:
        return "not measured"
    if value >= goal:
        return f"met ({value:.2f}{X} ≥ {goal:g}{X})"
    return f"missed by {(goal - value) / goal:.0%} ({value:.2f}{X} < {goal:g}{X} {what})"


def report(
    results: dict[str, SizeResult], queries: Sequence[tuple[str, str]], wall_s: float
) -> str:
    lines = [
        BEGIN,
        "",
        f"Measured by `bench/endpoint.py` on {machine()}; "
        f"the whole run took {wall_s / 60:.1f} min.",
        "",
        f"Goal (issue 11, point 4): under {CLIENTS} concurrent clients on 127.0.0.1, at least "
        f"{GOAL_VS_OXIGRAPH:.0%} of bare `oxigraph serve-read-only`'s throughput and "
        f"{GOAL_VS_RDFLIB:g}{X} rdflib-endpoint's, on a mix of the competency questions; "
        "the cost of "
        "the worker isolation, measured. Point 8: the endpoint's peak memory at each size.",
        "",
        f"The mix: the {len(queries)} questions of `queries/cq/` with their `example` "
        "parameters, as "
        "full SPARQL text, POSTed (`application/sparql-query`, JSON results) by "
        f"{CLIENTS} threads with keep-alive connections in the benchmark's process, each looping "
        "over the mix from its own starting point; after a warm-up, the requests that complete in "
        f"the window ({', '.join(f'{s}: {WINDOW_S[s]:g} s' for s in results)}) count. Ours: "
        "`pipeline-atlas serve` with its defaults (2 sandboxed workers, 10 s timeout, 2048 MB per "
        "worker, 100,000 rows). Oxigraph: `oxigraph serve-read-only --union-default-graph "
        f"--timeout-s {QUERY_TIMEOUT_S:g}` on the same store directory (union default graph "
        "as ours; "
        "the same timeout as ours). rdflib-endpoint: `rdflib-endpoint serve FILE.nq` (an "
        "in-memory `Dataset`, default graph the union), at the sizes whose load fits "
        f"{RDFLIB_LOAD_BUDGET_S:.0f} s; it cannot stop a query, so a question it does not "
        "answer within "
        f"{RDFLIB_QUERY_BUDGET_S:g} s alone is left out of its mix, and the ratio to it compares "
        "both servers on the questions it answers (the sub-mix). Errors are non-200 answers "
        "(our timeouts among them), answers cut short (Oxigraph streams its results: one "
        "stopped by its timeout is a 200 whose JSON ends mid-way) and failed connections; "
        "latencies are of the successful requests.",
        "",
        "![Endpoint throughput, p99 latency and peak memory against quads]"
        "(performance/endpoint.png)",
        "",
        "### Throughput on the whole mix",
        "",
        "| Size | Quads | Ours q/s | p50 ms | p99 ms | errors | Oxigraph q/s | p50 ms | p99 ms "
        "| errors | Ours / Oxigraph |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    ox_ratios = []
    for size, res in results.items():
        a, b = res.runs["ours"], res.runs["Oxigraph"]
        cells = [size, f"{res.quads:,}", *_load_cells(a.full, a.note), *_load_cells(b.full, b.note)]
        if a.full and b.full and b.full.throughput:
            value = a.full.throughput / b.full.throughput
            ox_ratios.append((size, value))
            cells.append(f"{value:.2f}{X} ({'met' if value >= GOAL_VS_OXIGRAPH else 'missed'})")
        else:
            cells.append("—")
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "### Against rdflib-endpoint (the questions it answers)",
        "",
        "| Size | Questions | rdflib-endpoint q/s | p50 ms | p99 ms | errors | Ours q/s | p50 ms "
        "| p99 ms | errors | Ours / rdflib-endpoint |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    rdf_ratios = []
    for size, res in results.items():
        r, a = res.runs["rdflib-endpoint"], res.runs["ours"]
        left_out = [short(q) for q, rows in r.rows.items() if not isinstance(rows, int)]
        asked = f"{len(res.submix)} of {len(queries)}" if r.rows else "—"
        if left_out:
            asked += f" (left out: {', '.join(left_out)})"
        cells = [size, asked, *_load_cells(r.sub, r.note), *_load_cells(a.sub, "")]
        if r.sub and a.sub and r.sub.throughput:
            value = a.sub.throughput / r.sub.throughput
            rdf_ratios.append((size, value))
            cells.append(f"{value:,.1f}{X} ({'met' if value >= GOAL_VS_RDFLIB else 'missed'})")
        elif r.sub and a.sub:
            # none completed in the window: it did under one per window
            value = a.sub.throughput * r.sub.window_s
            rdf_ratios.append((size, value))
            cells[2] = f"< {1 / r.sub.window_s:.2f} (none completed)"
            cells.append(f"> {value:,.1f}{X} ({'met' if value >= GOAL_VS_RDFLIB else 'missed'})")
        else:
            cells.append("—")
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "### Peak memory (point 8) and start time",
        "",
        "Peak RSS (`VmHWM`, MiB) of each server, summed over its processes (ours: the server "
        "and its 2 workers), read after the load; start: seconds until it answers `ASK {}` "
        "(rdflib-endpoint: its load).",
        "",
        "| Size | Ours MiB | Oxigraph MiB | rdflib-endpoint MiB | Ours start s | Oxigraph start s "
        "| rdflib-endpoint start s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    names = ("ours", "Oxigraph", "rdflib-endpoint")
    for size, res in results.items():
        mem = [f"{res.runs[n].rss_mib:,.0f}" if res.runs[n].rss_mib else "—" for n in names]
        start = [f"{res.runs[n].started_s:.1f}" if res.runs[n].started_s else "—" for n in names]
        lines.append(f"| {size} | " + " | ".join(mem + start) + " |")
    lines += ["", "### Answers compared", ""]
    found = [(size, _mismatches(res, queries)) for size, res in results.items()]
    found = [(size, items) for size, items in found if items]
    if found:
        lines.append("Row counts that differ (a timeout or error counts as a difference):")
        lines.append("")
        lines += [f"- {size}: " + "; ".join(items) for size, items in found]
    else:
        lines.append("Every server that answered a question gave the same number of rows.")
    lines += isolation_report(results)
    lines += ["", "### Verdict", ""]
    worst_ox = min(ox_ratios, key=lambda x: x[1]) if ox_ratios else None
    worst_rdf = min(rdf_ratios, key=lambda x: x[1]) if rdf_ratios else None
    lines.append(
        f"- ≥ {GOAL_VS_OXIGRAPH:.0%} of Oxigraph's throughput: "
        + (
            _verdict(worst_ox[1], GOAL_VS_OXIGRAPH, f"at {worst_ox[0]}")
            + " at the worst size; "
            + ", ".join(f"{s} {v:.2f}{X}" for s, v in ox_ratios)
            if worst_ox
            else "not measured"
        )
    )
    lines.append(
        f"- ≥ {GOAL_VS_RDFLIB:g}{X} rdflib-endpoint's: "
        + (
            _verdict(worst_rdf[1], GOAL_VS_RDFLIB, f"at {worst_rdf[0]}")
            + " at the worst size measured; "
            + ", ".join(f"{s} {v:,.1f}{X}" for s, v in rdf_ratios)
            if worst_rdf
            else "not measured"
        )
    )
    lines += ["", END]
    return "\n".join(lines)


def isolation_report(results: dict[str, SizeResult]) -> list[str]:
    lines: list[str] = []
    for size, res in results.items():
        if res.isolation is None:
            continue
        hop, rows = res.isolation
        embedded = sum(r.embedded_s for r in rows)
        sandboxed = sum(r.sandboxed_s for r in rows)
        lines += [
            "",
            f"### Worker isolation at {size}",
            "",
            "One client, in-process: each question on `EmbeddedStore` (pyoxigraph here) and "
            "through `SandboxedStore` (inspected, sent to the worker over a socket, run there, "
            "the `QueryResult` pickled back); median ms. `ASK {}` through the sandbox (the bare "
            f"hop) takes {ms(hop)} ms. Pickle: one dumps + loads of the result; JSON: the "
            "server's serialization of it (`serialize_result`), which the endpoint adds to both.",
            "",
            "| Question | Embedded ms | Sandboxed ms | Cost ms | Cost | Result KiB | Pickle ms "
            "| JSON ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in rows:
            cost = r.sandboxed_s - r.embedded_s
            lines.append(
                f"| {short(r.query_id)} | {ms(r.embedded_s)} | {ms(r.sandboxed_s)} | "
                f"{cost * 1000:+.1f} | {cost / r.embedded_s:+.0%} | {r.pickled_kib:,.1f} | "
                f"{ms(r.pickle_s)} | {ms(r.json_s)} |"
            )
        lines.append(
            f"| all {len(rows)} | {ms(embedded)} | {ms(sandboxed)} | "
            f"{(sandboxed - embedded) * 1000:+.1f} | {(sandboxed - embedded) / embedded:+.0%} | "
            f"| {ms(sum(r.pickle_s for r in rows))} | {ms(sum(r.json_s for r in rows))} |"
        )
    return lines


def plot(results: dict[str, SizeResult], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
    names = ("ours", "Oxigraph", "rdflib-endpoint")
    for name, marker, color in zip(names, "osd", ("C0", "C1", "C2"), strict=True):
        for ax, pick in (
            (axes[0], lambda run: run.full.throughput if run.full else None),
            (axes[1], lambda run: run.full.p99 * 1000 if run.full else None),
            (axes[2], lambda run: run.rss_mib),
        ):
            points = [(res.quads, pick(res.runs[name])) for res in results.values()]
            points = [(x, y) for x, y in points if y]
            if points:
                ax.plot(*zip(*points, strict=True), marker=marker, color=color, label=name)
        sub = [
            (res.quads, res.runs[name].sub.throughput)  # type: ignore[union-attr]
            for res in results.values()
            if res.runs[name].sub is not None and res.runs[name].sub.throughput  # type: ignore[union-attr]
        ]
        if sub:
            axes[0].plot(
                *zip(*sub, strict=True),
                marker=marker,
                color=color,
                linestyle=":",
                label=f"{name}, rdflib's sub-mix",
            )
    titles = (
        f"Throughput, {CLIENTS} clients (queries/s)",
        "p99 latency (ms)",
        "Peak RSS of the server (MiB)",
    )
    for ax, title in zip(axes, titles, strict=True):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("quads")
        ax.set_title(title, fontsize=10)
        ax.grid(True, which="both", alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated sizes (default: all four)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--plot", type=Path, default=PLOT)
    parser.add_argument("--quick", action="store_true", help="5 s windows, few rounds")
    args = parser.parse_args(argv)
    # stopped by make or kill: leave through the `finally`s, which stop the servers
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    start = time.perf_counter()
    queries = mix()
    results: dict[str, SizeResult] = {}
    rdflib_ok, estimate = True, None
    slow: set[str] = set()  # questions rdflib-endpoint did not answer within its budget
    for size in scale.size_names(args.sizes):
        res = run_size(
            size,
            queries,
            quick=args.quick,
            rdflib_ok=rdflib_ok,
            rdflib_estimate=estimate,
            slow=slow,
        )
        results[size] = res
        r = res.runs["rdflib-endpoint"]
        rdflib_ok = rdflib_ok and r.rss_mib is not None
        following = next_size(size)
        if r.started_s is not None and following is not None:
            # the load time grows with the quads: estimate the next size's from this one
            estimate = r.started_s * scale.quad_count(following) / res.quads
    text = report(results, queries, time.perf_counter() - start)
    print(text)
    write_section(args.output, text, begin=BEGIN, end=END, heading="Endpoint")
    plot(results, args.plot)
    print(f"endpoint: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


def next_size(size: str) -> str | None:
    names = list(scale.SIZES)
    i = names.index(size)
    return names[i + 1] if i + 1 < len(names) else None


if __name__ == "__main__":
    sys.exit(main())
