"""Exchange with partner databases: exports of the whole graph in many formats, and safe imports
of partner data and correction reports into their own named graphs.

Every export is written by :func:`export` from the graph's named graphs (IRI → quads, read from
any :class:`~pipeline_atlas.store.base.QueryStore` by
:func:`~pipeline_atlas.build.load.graphs_of`), so that the embedded store and a remote store give
the same files. Each format lives in one module, which has a ``write(graphs, fmt, output, *,
lang)`` function returning an :class:`ExportResult`:

========================================  =====================================================
format                                    module
========================================  =====================================================
``turtle nt nquads trig rdfxml jsonld``   :mod:`pipeline_atlas.exchange.rdf`
``csv xlsx``                              :mod:`pipeline_atlas.exchange.tables`
``sqlite postgres-sql postgres``          :mod:`pipeline_atlas.exchange.sql`
``neo4j graphml``                         :mod:`pipeline_atlas.exchange.propertygraph`
========================================  =====================================================

>>> sorted(FORMATS)[:4]
['csv', 'graphml', 'jsonld', 'neo4j']
>>> export_module("nquads")
'pipeline_atlas.exchange.rdf'
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from ..errors import AtlasError

__all__ = [
    "FORMATS",
    "ExportError",
    "ExportResult",
    "Graphs",
    "export",
    "export_all",
    "export_module",
]

Graphs = Mapping[str, Sequence[ox.Quad]]
"""The graph as exporters read it: named-graph IRI → its quads."""

FORMATS: dict[str, str] = {
    "turtle": "rdf",
    "nt": "rdf",
    "nquads": "rdf",
    "trig": "rdf",
    "rdfxml": "rdf",
    "jsonld": "rdf",
    "csv": "tables",
    "xlsx": "tables",
    "sqlite": "sql",
    "postgres-sql": "sql",
    "postgres": "sql",
    "neo4j": "propertygraph",
    "graphml": "propertygraph",
}
"""Every export format → the module (under :mod:`pipeline_atlas.exchange`) that writes it."""

FILE_FORMATS = tuple(name for name in FORMATS if name != "postgres")
"""The formats written to files (``postgres`` loads a server, its output is a connection URL)."""


class ExportError(AtlasError):
    """An export could not be written (unknown format, output not writable, server refused)."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: its format, the files (or the server URL, without password), and
    counts a person can check against the graph (``triples``, ``quads``, ``nodes``, ``edges``,
    ``rows``…, as the format has them)."""

    format: str
    outputs: tuple[str, ...]
    counts: Mapping[str, int] = field(default_factory=dict)


class _Writer(Protocol):
    def __call__(self, graphs: Graphs, fmt: str, output: str, *, lang: str) -> ExportResult: ...


def export_module(fmt: str) -> str:
    """The module that writes ``fmt``; :class:`ExportError` naming the known formats."""
    try:
        return f"{__name__}.{FORMATS[fmt]}"
    except KeyError:
        known = ", ".join(FORMATS)
        raise ExportError(f"unknown export format {fmt!r}; known formats: {known}") from None


def _graphs(source: Any) -> Graphs:
    if isinstance(source, Mapping):
        return source
    from ..build.load import graphs_of

    return graphs_of(source)


def export(source: Any, *, format: str, output: str | Path, lang: str = "en") -> ExportResult:
    """Write the whole graph of ``source`` (an Atlas, a store, or graphs IRI → quads) as
    ``format`` to ``output`` (a file or folder; for ``postgres``, a ``postgresql://`` URL), with
    labels in ``lang`` where the format has one language (spreadsheets, SQL, property graphs;
    RDF keeps every language)."""
    module = export_module(format)
    if lang not in ("en", "es"):
        raise ExportError(f"unknown language {lang!r}: en or es")
    writer: _Writer = importlib.import_module(module).write
    return writer(_graphs(source), format, str(output), lang=lang)


def export_all(source: Any, *, folder: str | Path, lang: str = "en") -> list[ExportResult]:
    """Every file format into ``folder`` (one file or subfolder each, named
    ``pipeline-atlas.<extension>``), reading the graph once."""
    from .files import default_name

    graphs = _graphs(source)
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    return [
        export(graphs, format=fmt, output=target / default_name(fmt), lang=lang)
        for fmt in FILE_FORMATS
    ]
