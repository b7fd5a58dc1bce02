"""The endpoint's settings: where it listens, who may call it from a browser, its limits."""

from __future__ import annotations

from dataclasses import dataclass

from ..store.sandbox import DEFAULT_LIMITS, Limits

__all__ = ["DEFAULT_MAX_BODY", "DEFAULT_MAX_URL", "ServerSettings"]

DEFAULT_MAX_BODY = 1024 * 1024
"""Bytes a request body may have (413 past it)."""

DEFAULT_MAX_URL = 32 * 1024
"""Bytes a request's query string may have (414 past it): longer queries are POSTed."""


@dataclass(frozen=True)
class ServerSettings:
    """How ``pipeline-atlas serve`` runs.

    ``limits`` are those of every query a client sends (and of the catalogue API): time, memory,
    rows, length, depth; ``workers`` sandboxed worker processes answer queries side by side;
    ``cors`` origins get CORS headers (none by default); ``max_body`` and ``max_url`` cap request
    bodies and query strings.
    """

    host: str = "127.0.0.1"
    port: int = 7878
    limits: Limits = DEFAULT_LIMITS
    workers: int = 2
    cors: tuple[str, ...] = ()
    max_body: int = DEFAULT_MAX_BODY
    max_url: int = DEFAULT_MAX_URL
    docs_dir: str | None = None
