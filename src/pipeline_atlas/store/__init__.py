"""Stores behind one read-only protocol, :class:`QueryStore`.

* :class:`EmbeddedStore`: pyoxigraph in this process (in memory or a directory);
* :class:`RemoteStore`: any SPARQL 1.1 Protocol endpoint;
* :class:`SandboxedStore`: either of them, queried from a worker process with time, memory and
  row limits, for queries that a person wrote.

Loading and building live in :mod:`pipeline_atlas.build`, not here.
"""

from __future__ import annotations

from .base import DEFAULT_MAX_ROWS, QueryStore, prepare_query
from .embedded import EmbeddedStore
from .remote import Credentials, RemoteStore
from .sandbox import DEFAULT_LIMITS, Limits, SandboxedStore

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_ROWS",
    "Credentials",
    "EmbeddedStore",
    "Limits",
    "QueryStore",
    "RemoteStore",
    "SandboxedStore",
    "prepare_query",
]
