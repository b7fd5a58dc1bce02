"""Explorer speed (benchmark issue, points 6 and 8; explorer issue): every page reruns in under
300 ms server-side with warm caches and the first page is served within 2 s of start, at each
size of the scale generator; and the explorer server's peak memory at each size.

    python bench/explorer.py [--sizes shipped,states-8,national,national-x4] [--rounds N]
        [--output docs/performance.md] [--quick] [--no-browser] [--strict]

How it is measured, at each size. The explorer opens the store of ``scale.store(size)``: it
opens ``build/store`` under the project root that ``PIPELINE_ATLAS_ROOT`` names, so each size
gets a root of its own (a temporary folder whose ``ontology/``, ``graph_data/`` and
``queries/`` link to the repository's and whose ``build/store`` links to the size's store).

1. Reruns: a child process runs each view with Streamlit's AppTest (the same script run the
   server does, so the time is server-side): one run to warm the caches, then N timed reruns
   (``common.measure``, at most ``--page-budget`` seconds of reruns a view); median and p95.
   A view still running twice its budget after it started (30 s a view: 60 s for its first run
   and its reruns) is stopped with its process, the table says "stopped at budget", and it is
   not run at the larger sizes. Chromium opens only the views that finished.
2. First page and memory: ``streamlit run`` (as ``make run`` starts it) on a free loopback port;
   Chromium, already open, asks for the first page as soon as the server answers its health
   check, and the time from the server's start until the page's first heading is drawn is the
   first-page time. Chromium then opens each view that finished in part 1, and the server's peak
   resident memory (``VmHWM``, ``common.rss_mib``) is read after the last one.

Results are printed, written between this script's markers of the output file, and plotted
(log-log against quads) in ``docs/performance/explorer.png``. Timings belong here, not in the
tests: the machines are noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # bench/ is not a package
from common import ROOT, machine, measure, ms, ratio, record_memory, rss_mib
from report import write_section

APP = ROOT / "ui" / "streamlit_app.py"
RERUN_TARGET_S = 0.300
FIRST_PAGE_TARGET_S = 2.0
PAGE_BUDGET_S = 30.0  # a view's first run; as much again for its timed reruns
START_BUDGET_S = 120.0  # the server's start and first page
BEGIN = "<!-- bench/explorer.py: begin -->"
END = "<!-- bench/explorer.py: end -->"
PLOT = ROOT / "docs" / "performance" / "explorer.png"

# (view, page file, query parameters): every page, in the states organizers use most. The real
# places are in every size (the synthetic states are under their own namespace).
VIEWS: list[tuple[str, str, dict[str, str]]] = [
    ("pipeline", "app_pages/pipeline.py", {}),
    ("pipeline, stage 2, es", "app_pages/pipeline.py", {"stage": "2", "lang": "es"}),
    ("place: Fresno", "app_pages/place.py", {"place": "fresno"}),
    ("place: Fresno, es", "app_pages/place.py", {"place": "fresno", "lang": "es"}),
    (
        "place: LA County unincorporated",
        "app_pages/place.py",
        {"place": "los-angeles-county-unincorporated"},
    ),
    ("matrix: state", "app_pages/matrix.py", {}),
    ("matrix: Oakland", "app_pages/matrix.py", {"place": "oakland"}),
    ("graph: start", "app_pages/graph.py", {}),
    (
        "graph: SB 54 (California Values Act)",
        "app_pages/graph.py",
        {"node": "id/instrument/california-values-act"},
    ),
    ("sparql: cq-001", "app_pages/sparql.py", {"query": "cq-001-stages-in-order"}),
    ("sources", "app_pages/sources.py", {}),
    ("glossary", "app_pages/glossary.py", {}),
    ("history", "app_pages/history.py", {}),
    ("search: fresno", "app_pages/search.py", {"q": "fresno"}),
]


@dataclass(frozen=True)
class Rerun:
    """One view at one size: median and p95 seconds of the warm reruns, or a problem."""

    view: str
    median: float | None
    p95: float | None
    runs: int
    problem: str = ""  # an exception or error shown, or "stopped at budget"


@dataclass(frozen=True)
class SizeResult:
    size: str
    quads: int
    reruns: list[Rerun]
    first_page_s: float | None  # None: not measured (--no-browser) or stopped at the budget
    server_rss_mib: float | None
    note: str = ""


# -- the project root that points the explorer at a size's store -------------------------------


@contextmanager
def root_for(store: Path) -> Iterator[Path]:
    """A temporary project root whose ``build/store`` is ``store`` and whose sources are the
    repository's, for ``PIPELINE_ATLAS_ROOT``. Refuses a store older than a source file (the
    explorer would build the shipped graph in memory instead of opening it)."""
    sys.path.insert(0, str(ROOT / "src"))
    from pipeline_atlas.build.load import source_files
    from pipeline_atlas.paths import project_paths

    newest = max(f.stat().st_mtime for f in source_files(project_paths(ROOT)))
    stored = max(f.stat().st_mtime for f in store.iterdir() if f.is_file())
    if newest > stored:
        raise SystemExit(f"{store} is older than a source file: remake it (bench/scale.py)")
    with tempfile.TemporaryDirectory(prefix="bench-explorer-") as tmp:
        root = Path(tmp)
        for name in ("ontology", "graph_data", "queries"):
            (root / name).symlink_to(ROOT / name)
        (root / "build").mkdir()
        (root / "build" / "store").symlink_to(store.resolve())
        yield root


def explorer_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_ATLAS_")}
    return {
        **env,
        "PIPELINE_ATLAS_ROOT": str(root),
        "PYTHONUNBUFFERED": "1",
        "STREAMLIT_LOGGER_LEVEL": "error",  # AppTest's "missing ScriptRunContext" warnings
    }


# -- part 1: reruns, in a child process (``--reruns-child``) -------------------------------------


def rerun_views(views: list[int], rounds: int, page_budget_s: float, out: Path) -> None:
    """Each view of ``views`` (indexes into :data:`VIEWS`) run here with AppTest (the explorer's
    store is the one of ``PIPELINE_ATLAS_ROOT``): a line ``{"start": i}`` in ``out`` when view
    ``i`` starts, then its :class:`Rerun` as a JSON line, so that the parent can stop a view
    that passes its budget and go on with the next."""
    from streamlit.testing.v1 import AppTest

    def line(record: dict[str, object]) -> None:
        with out.open("a") as f:
            f.write(json.dumps(record) + "\n")

    for i in views:
        name, page, params = VIEWS[i]
        line({"start": i})
        at = AppTest.from_file(str(APP), default_timeout=10 * page_budget_s)
        for key, value in params.items():
            at.query_params[key] = value
        at.switch_page(page)
        at.run()  # warm the caches
        problem = ""
        if at.exception:
            problem = f"exception: {at.exception[0].value}"[:120]
        elif at.error:
            problem = f"error shown: {at.error[0].value}"[:120]
        timing = measure(at.run, rounds=rounds, warmup=0, budget_s=page_budget_s)
        line(Rerun(name, timing.median, timing.p95, len(timing.runs), problem).__dict__)


def rerun_times(root: Path, rounds: int, page_budget_s: float, skip: set[str]) -> list[Rerun]:
    """Every view's warm reruns, in a child process opened on ``root``. A view still running
    ``2 * page_budget_s`` after it started (its first run, then its reruns) is stopped with the
    child, which starts again with the next view; a view stopped at one size is not run at the
    larger ones (``skip`` holds them)."""
    results: dict[int, Rerun] = {}
    todo = [i for i, (name, _, _) in enumerate(VIEWS) if name not in skip]
    for i, (name, _, _) in enumerate(VIEWS):
        if name in skip:
            results[i] = Rerun(name, None, None, 0, "not run (stopped at a smaller size)")
    with tempfile.TemporaryDirectory(prefix="bench-explorer-reruns-") as tmp:
        out = Path(tmp) / "reruns.jsonl"
        while todo:
            out.write_text("")
            command = [sys.executable, __file__, "--reruns-child", str(out), "--views",
                       ",".join(map(str, todo)), "--rounds", str(rounds),
                       "--page-budget", str(page_budget_s)]  # fmt: skip
            proc = subprocess.Popen(command, cwd=ROOT, env=explorer_env(root))
            began = time.perf_counter()  # the child's start counts against its first view
            running: int | None = None
            seen = 0  # lines of ``out`` read so far

            def read() -> None:
                nonlocal running, began, seen
                lines = out.read_text().splitlines()
                for record in map(json.loads, lines[seen:]):
                    if "start" in record:
                        running, began = record["start"], time.perf_counter()
                    elif running is not None:
                        results[running] = Rerun(**record)
                seen = len(lines)

            try:
                while proc.poll() is None:
                    read()
                    if time.perf_counter() - began > 2 * page_budget_s:
                        break
                    time.sleep(0.05)
            finally:
                if proc.poll() is None:
                    proc.kill()
                proc.wait()
            read()  # the last lines
            done = [i for i in todo if i in results]
            todo = [i for i in todo if i not in results]
            if todo and proc.returncode != 0 and running is not None and running in todo:
                name = VIEWS[running][0]
                results[running] = Rerun(
                    name, None, None, 0, f"stopped at budget {2 * page_budget_s:.0f} s"
                )
                skip.add(name)
                todo.remove(running)
                print(f"  {name}: stopped at budget", file=sys.stderr, flush=True)
            elif todo and not done:
                raise SystemExit(f"the reruns' child failed (status {proc.returncode})")
            for i in done:
                r = results[i]
                shown = f"{ms(r.median)} ms" if r.median is not None else r.problem
                print(f"  {r.view}: {shown}", file=sys.stderr, flush=True)
    return [results[i] for i in range(len(VIEWS))]


# -- part 2: the server, first page and memory ----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def view_url(base: str, page: str, params: dict[str, str]) -> str:
    path = "" if page.endswith("pipeline.py") else Path(page).stem
    query = f"?{urlencode(params, safe='/')}" if params else ""
    return f"{base}/{path}{query}"


def serve_and_visit(
    root: Path, views: list[tuple[str, str, dict[str, str]]], budget_s: float
) -> tuple[float | None, float | None, str]:
    """First-page seconds after ``streamlit run`` started, and the server's peak RSS (MiB) after
    ``views`` were opened; a note when something passed ``budget_s``."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        proc: subprocess.Popen[bytes] | None = None
        try:
            page = browser.new_page()
            start = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address=127.0.0.1",
                 f"--server.port={port}", "--server.headless=true",
                 "--browser.gatherUsageStats=false"],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=explorer_env(root), start_new_session=True,
            )  # fmt: skip
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.02)
                if time.perf_counter() - start > budget_s:
                    return (
                        None,
                        rss_mib(proc.pid),
                        f"the server did not start within {budget_s:.0f} s",
                    )
            page.goto(url)
            try:
                page.get_by_role("heading", level=1).first.wait_for(timeout=budget_s * 1000)
            except PlaywrightError:
                return None, rss_mib(proc.pid), f"no first page within {budget_s:.0f} s"
            first = time.perf_counter() - start
            slow = []
            for name, file, params in views:
                page.goto(view_url(url, file, params))
                try:
                    page.get_by_role("heading", level=1).first.wait_for(timeout=budget_s * 1000)
                    # The run is over when Streamlit's "running" indicator is gone.
                    page.get_by_test_id("stStatusWidget").wait_for(
                        state="hidden", timeout=budget_s * 1000
                    )
                except PlaywrightError:
                    slow.append(name)
            note = f"views not drawn within {budget_s:.0f} s: {', '.join(slow)}" if slow else ""
            return first, rss_mib(proc.pid), note
        finally:
            browser.close()
            if proc is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


# -- the report -----------------------------------------------------------------------------------


def _met(seconds: float | None, target: float, problem: str = "") -> str:
    if problem:
        return problem
    if seconds is None:
        return "not measured"
    if seconds < target:
        return "met"
    return f"missed by {ms(seconds - target)} ms"


def report(results: list[SizeResult], rounds: int, page_budget_s: float) -> tuple[str, bool]:
    ok = True
    lines = [
        BEGIN,
        "",
        f"Machine: {machine()}.",
        "",
        f"Explorer, measured by `bench/explorer.py` on {time.strftime('%Y-%m-%d')}, opened on "
        "each size's store (`PIPELINE_ATLAS_ROOT`). Goals: every page reruns server-side in "
        f"under {RERUN_TARGET_S * 1000:.0f} ms with warm caches; the first page is drawn within "
        f"{FIRST_PAGE_TARGET_S:.0f} s of `streamlit run` starting (what `make run` users wait "
        f"for). Reruns: Streamlit's AppTest, one warm-up run then up to {rounds} timed reruns "
        f"(median). Budget: a view still running {2 * page_budget_s:.0f} s after it started "
        "is stopped, and not run at the larger sizes. First page: Chromium, already open, "
        "from the server's start until the first heading is drawn. Memory: the server's peak "
        "resident memory (VmHWM) after Chromium opened every view that finished in the reruns.",
        "",
        "![Explorer: rerun and first-page time, server memory against quads]"
        "(performance/explorer.png)",
        "",
        "Median rerun in ms (p95 in brackets), warm caches:",
        "",
        "| View | " + " | ".join(f"{r.size} ({r.quads:,} quads)" for r in results) + " |",
        "|---|" + "---:|" * len(results),
    ]
    for i, (name, _, _) in enumerate(VIEWS):
        cells = []
        for r in results:
            if i >= len(r.reruns):
                cells.append(r.note or "not measured")
                continue
            v = r.reruns[i]
            if v.median is None:
                cells.append(v.problem)
            else:
                mark = "" if v.median < RERUN_TARGET_S and not v.problem else " **(missed)**"
                extra = f" — {v.problem}" if v.problem else ""
                cells.append(f"{ms(v.median)} ({ms(v.p95 or v.median)}){mark}{extra}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append(
        "| **first page after start (s)** | "
        + " | ".join(f"{r.first_page_s:.2f}" if r.first_page_s else "—" for r in results)
        + " |"
    )
    lines.append(
        "| **server peak RSS (MiB)** | "
        + " | ".join(f"{r.server_rss_mib:,.0f}" if r.server_rss_mib else "—" for r in results)
        + " |"
    )
    lines += ["", "Goals, size by size:", ""]
    for r in results:
        timed = [v for v in r.reruns if v.median is not None]
        slowest = max(timed, key=lambda v: v.median or 0.0, default=None)
        failed = [v for v in r.reruns if v.problem]
        rerun_ok = (
            bool(r.reruns) and not failed and all((v.median or 0) < RERUN_TARGET_S for v in timed)
        )
        if slowest is None:
            rerun_text = f"not measured ({r.note or 'no view ran'})"
        elif rerun_ok:
            rerun_text = (
                f"**met** (slowest {slowest.view}, {ms(slowest.median or 0)} ms, "
                f"{ratio(slowest.median or 0, RERUN_TARGET_S)} of the goal)"
            )
        else:
            missed = [v for v in timed if (v.median or 0) >= RERUN_TARGET_S]
            parts = [f"{v.view} by {ms((v.median or 0) - RERUN_TARGET_S)} ms" for v in missed]
            parts += [f"{v.view}: {v.problem}" for v in failed]
            rerun_text = f"**missed**: {'; '.join(parts)}"
        ok &= rerun_ok
        if r.first_page_s is None:
            first_text = f"not measured ({r.note})" if r.note else "not measured"
            ok &= not r.note
        else:
            met = r.first_page_s < FIRST_PAGE_TARGET_S
            ok &= met
            first_text = (
                f"{r.first_page_s:.2f} s, "
                + (
                    "**met**"
                    if met
                    else f"**missed by {r.first_page_s - FIRST_PAGE_TARGET_S:.2f} s**"
                )
                + f" ({ratio(r.first_page_s, FIRST_PAGE_TARGET_S)} of the goal)"
            )
        lines.append(f"- {r.size}: reruns {rerun_text}; first page {first_text}.")
    if any(r.size != "shipped" and r.first_page_s for r in results):
        lines += [
            "",
            "Most of the first-page time at the shipped size is Streamlit's own start; what "
            "grows with the graph is the first run of the pipeline page with the store just "
            "opened (its queries run once, then are cached).",
        ]
    lines += ["", END]
    return "\n".join(lines), ok


def plot(results: list[SizeResult], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 5))
    for i, (name, _, _) in enumerate(VIEWS):
        points = [
            (r.quads, r.reruns[i].median * 1000)
            for r in results
            if i < len(r.reruns) and r.reruns[i].median is not None
        ]
        if points:
            left.plot(*zip(*points, strict=True), marker="o", linewidth=1, label=name)
    first = [(r.quads, r.first_page_s * 1000) for r in results if r.first_page_s]
    if first:
        left.plot(*zip(*first, strict=True), marker="s", color="black", linewidth=2.5,
                  label="first page after start")  # fmt: skip
    left.axhline(RERUN_TARGET_S * 1000, color="grey", linestyle=":", linewidth=1)
    left.axhline(FIRST_PAGE_TARGET_S * 1000, color="black", linestyle=":", linewidth=1)
    left.set_title("Rerun (median) and first-page time")
    left.set_ylabel("ms (dotted: the 300 ms and 2 s goals)")
    left.legend(fontsize=6, ncol=2)
    memory = [(r.quads, r.server_rss_mib) for r in results if r.server_rss_mib]
    if memory:
        right.plot(*zip(*memory, strict=True), marker="o", color="black")
    right.set_title("Explorer server's peak RSS")
    right.set_ylabel("MiB")
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("quads")
        ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(output: Path, text: str) -> None:
    write_section(output, text, begin=BEGIN, end=END, heading="Explorer")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help=f"comma-separated, from {', '.join(scale.SIZES)}")
    parser.add_argument("--rounds", type=int, default=5, help="timed reruns of each view")
    parser.add_argument("--page-budget", type=float, default=PAGE_BUDGET_S)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--plot", type=Path, default=PLOT)
    parser.add_argument("--quick", action="store_true", help="two reruns a view")
    parser.add_argument("--no-browser", action="store_true", help="skip first page and memory")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--reruns-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--views", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    rounds = 2 if args.quick else args.rounds
    if args.reruns_child:  # part 1, in the child process started by rerun_times
        views = [int(i) for i in args.views.split(",") if i]
        rerun_views(views, rounds, args.page_budget, args.reruns_child)
        return 0

    started = time.perf_counter()
    results = []
    skip: set[str] = set()  # views stopped at the budget at a smaller size
    for size in scale.size_names(args.sizes):
        store = scale.store(size)
        quads = scale.quad_count(size)
        print(f"explorer: {size} ({quads:,} quads)", file=sys.stderr, flush=True)
        with root_for(store) as root:
            began = time.perf_counter()
            reruns = rerun_times(root, rounds, args.page_budget, skip)
            print(f"  reruns took {time.perf_counter() - began:.0f} s", file=sys.stderr)
            ran = [v for v, r in zip(VIEWS, reruns, strict=True) if r.median is not None]
            first, rss, note = (
                (None, None, "") if args.no_browser else serve_and_visit(root, ran, START_BUDGET_S)
            )
        print(
            f"  first page {first} s, server peak {rss} MiB, size done in "
            f"{time.perf_counter() - began:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        if rss:
            record_memory("explorer (streamlit server)", size, rss)
        results.append(SizeResult(size, quads, reruns, first, rss, note))
    text, ok = report(results, rounds, args.page_budget)
    print(text)
    write(args.output, text)
    plot(results, args.plot)
    print(f"explorer: done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
