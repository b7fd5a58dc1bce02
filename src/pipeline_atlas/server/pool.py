"""A pool of sandboxed workers, so that one slow or hostile query never stops the others.

Each worker is a :class:`~pipeline_atlas.store.sandbox.SandboxedStore` (a process with time,
memory and row limits). A request takes a free one (waiting while all are busy), runs its query
in a thread (the event loop never blocks) and gives it back; a worker that was killed for a limit
is replaced by its sandbox before the next query.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

import anyio
import anyio.to_thread

from ..results import QueryResult, Term
from ..store.base import QueryStore
from ..store.sandbox import Limits, SandboxedStore

__all__ = ["SandboxPool"]


class SandboxPool:
    """``size`` sandboxes over the data of ``store``, with ``limits``."""

    def __init__(self, store: QueryStore, limits: Limits, size: int = 2) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.limits = limits
        self._sandboxes = [SandboxedStore.around(store, limits=limits) for _ in range(size)]
        self._free = list(self._sandboxes)
        self._limiter: anyio.CapacityLimiter | None = None
        self.size = size

    def start(self) -> None:
        """Start every worker now (blocking: call it from a thread or before serving)."""
        for sandbox in self._sandboxes:
            sandbox.start()

    async def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        prefixes: Mapping[str, str] | None = None,
        source: str = "<query>",
    ) -> QueryResult:
        """Run a query in a free worker, in a thread; raises what the sandbox raises."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.size)
        async with self._limiter:
            sandbox = self._free.pop()
            try:
                return await anyio.to_thread.run_sync(
                    lambda: sandbox.query(
                        sparql,
                        bindings=bindings,
                        prefixes=prefixes,
                        source=source,
                        max_rows=self.limits.max_rows,
                    ),
                    abandon_on_cancel=False,
                )
            finally:
                self._free.append(sandbox)

    def worker_pids(self) -> list[int]:
        """The process ids of the running workers (for tests and diagnostics)."""
        return [pid for s in self._sandboxes if (pid := s.worker_pid) is not None]

    def close(self) -> None:
        """Stop every worker."""
        for sandbox in self._sandboxes:
            with contextlib.suppress(Exception):
                sandbox.close()
