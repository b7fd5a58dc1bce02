"""What every benchmark shares: timing (median and p95 of repeated runs, with a time budget),
peak memory of a child process, the machine's description, and the sizes to run.

Timings belong in ``bench/``, never in the tests: the machines are noisy.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_BUILD = ROOT / "build" / "bench"


@dataclass(frozen=True)
class Timing:
    """Seconds of each run of one measured call (warm-up runs left out)."""

    runs: tuple[float, ...]
    stopped: bool = False  # the time budget ran out before every round ran

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def p95(self) -> float:
        return percentile(self.runs, 95)

    @property
    def p99(self) -> float:
        return percentile(self.runs, 99)


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile by the nearest-rank method (p95 of 20 runs is the 19th)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil
    return ordered[int(rank) - 1]


def measure(
    call: Callable[[], object], *, rounds: int = 20, warmup: int = 2, budget_s: float = 30.0
) -> Timing:
    """Time ``call`` ``rounds`` times after ``warmup`` untimed calls; stop early (keeping at least
    one timed run) when the timed runs pass ``budget_s`` seconds in all."""
    for _ in range(warmup):
        call()
    runs: list[float] = []
    spent = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        took = time.perf_counter() - start
        runs.append(took)
        spent += took
        if spent > budget_s and len(runs) < rounds:
            return Timing(tuple(runs), stopped=True)
    return Timing(tuple(runs))


@dataclass(frozen=True)
class ChildRun:
    """A finished child process: wall seconds, peak resident memory (MiB), exit status."""

    seconds: float
    peak_rss_mib: float
    returncode: int
    timed_out: bool = False


def run_child(
    command: Sequence[str],
    *,
    timeout_s: float | None = None,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    quiet: bool = True,
) -> ChildRun:
    """Run ``command`` and report its wall time and peak RSS (``wait4``'s ``ru_maxrss``: the
    largest of the process and the children it waited for)."""
    out = subprocess.DEVNULL if quiet else None
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=out)
    deadline = None if timeout_s is None else start + timeout_s
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.perf_counter() > deadline:
            proc.kill()
            timed_out = True
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return ChildRun(seconds, usage.ru_maxrss / 1024, proc.returncode, timed_out)


def rss_mib(pid: int) -> float:
    """Peak resident memory so far (``VmHWM``) of a running process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> str:
    """One line: the date, CPU model, cores, memory, OS, Python and pyoxigraph versions."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    try:
        import pyoxigraph

        ox_version = pyoxigraph.__version__
    except ImportError:
        ox_version = "absent"
    return (
        f"{dt.date.today().isoformat()}, {cpu}, {os.cpu_count()} cores, {mem_gib:.0f} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"pyoxigraph {ox_version}"
    )


def ms(seconds: float) -> str:
    """Milliseconds for a table: one decimal under 10 ms, whole numbers above."""
    value = seconds * 1000
    return f"{value:.1f}" if value < 10 else f"{value:,.0f}"


def ratio(a: float, b: float) -> str:
    """``a / b`` as ``12.3x``."""
    return f"{a / b:,.1f}x" if b else "n/a"


MEMORY = BENCH_BUILD / "memory"


def record_memory(component: str, size: str, peak_rss_mib: float, note: str = "") -> None:
    """Keep a peak RSS for the memory table (``bench/memory.py`` reads them all): ``component``
    is what ran (``build: load``, ``endpoint``, ``explorer``…), ``size`` a ``bench/scale.py``
    size."""
    import json

    MEMORY.mkdir(parents=True, exist_ok=True)
    slug = "".join(c if c.isalnum() else "-" for c in f"{component}-{size}")
    record = {
        "component": component,
        "size": size,
        "peak_rss_mib": round(peak_rss_mib, 1),
        "note": note,
        "date": dt.date.today().isoformat(),
    }
    (MEMORY / f"{slug}.json").write_text(json.dumps(record), encoding="utf-8")
