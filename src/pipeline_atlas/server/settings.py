"""The endpoint's settings: where it listens, who may call it from a browser, its limits."""

from __future__ import annotations

from dataclasses import dataclass

from ..store.sandbox import DEFAULT_LIMITS, Limits

__all__ = [
    "DEFAULT_BODY_TIMEOUT",
    "DEFAULT_HEADER_TIMEOUT",
    "DEFAULT_MAX_BODY",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_MAX_URL",
    "ServerSettings",
]

DEFAULT_MAX_BODY = 1024 * 1024
"""Bytes a request body may have (413 past it)."""

DEFAULT_MAX_URL = 32 * 1024
"""Bytes a request's query string may have (414 past it): longer queries are POSTed."""

DEFAULT_HEADER_TIMEOUT = 10.0
"""Seconds a connection may take to send a request's line and headers (closed with 408 past
it; uvicorn alone waits forever, which lets slow clients hold connections open)."""

DEFAULT_BODY_TIMEOUT = 30.0
"""Seconds a request's body may take to arrive once its headers have (408 past it)."""

DEFAULT_MAX_CONNECTIONS = 1000
"""Connections open at once (a new one past it is answered 503 and closed), so that slow or
idle clients cannot exhaust the process's file descriptors."""


@dataclass(frozen=True)
class ServerSettings:
    """How ``pipeline-atlas serve`` runs.

    ``limits`` are those of every query a client sends (and of the catalogue API): time, memory,
    rows, length, depth; ``workers`` sandboxed worker processes answer queries side by side;
    ``cors`` origins get CORS headers (none by default); ``max_body`` and ``max_url`` cap request
    bodies and query strings; ``header_timeout`` and ``body_timeout`` bound how long a client
    may take to send a request (408 past them) and ``max_connections`` how many connections may
    be open at once (503 past it): see docs/endpoint.md.
    """

    host: str = "127.0.0.1"
    port: int = 7878
    limits: Limits = DEFAULT_LIMITS
    workers: int = 2
    cors: tuple[str, ...] = ()
    max_body: int = DEFAULT_MAX_BODY
    max_url: int = DEFAULT_MAX_URL
    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    docs_dir: str | None = None
