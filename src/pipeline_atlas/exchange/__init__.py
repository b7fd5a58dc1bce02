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
    "with_metadata",
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


def with_metadata(graphs: dict[str, list[ox.Quad]]) -> dict[str, list[ox.Quad]]:
    """``graphs`` with the dataset's DCAT/VoID description (``pag:metadata``, made by
    :func:`~pipeline_atlas.exchange.metadata.dataset_metadata`) when they declare the dataset
    node (``graph_data/dataset.ttl``) and do not hold the description yet; else as they are.

    >>> with_metadata({})
    {}
    """
    from ..namespaces import METADATA_GRAPH
    from .metadata import DATASET, dataset_metadata

    if METADATA_GRAPH in graphs:
        return graphs
    dataset = ox.NamedNode(DATASET)
    if not any(q.subject == dataset for quads in graphs.values() for q in quads):
        return graphs
    return {**graphs, METADATA_GRAPH: dataset_metadata(graphs)}


def _graphs(source: Any) -> Graphs:
    """The graphs of ``source``, with the dataset's description (every export carries it)."""
    if isinstance(source, dict):
        return with_metadata(source)  # the same object when it has the description already
    if isinstance(source, Mapping):
        return with_metadata(dict(source))
    from ..build.load import graphs_of

    return with_metadata(graphs_of(source))


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


# The slowest formats first, so that the two workers of export_all finish close together.
_SLOWEST_FIRST = ("xlsx", "graphml", "csv", "turtle", "jsonld", "postgres-sql", "sqlite")

_SHARED: dict[str, Any] = {}


def _export_shared(fmt: str, output: str, lang: str) -> ExportResult:
    """One format of :func:`export_all`, in a worker forked with the graphs in memory."""
    return export(_SHARED["graphs"], format=fmt, output=output, lang=lang)


def export_all(
    source: Any, *, folder: str | Path, lang: str = "en", workers: int | None = None
) -> list[ExportResult]:
    """Every file format into ``folder`` (one file or subfolder each, named
    ``pipeline-atlas.<extension>``), reading the graph once, in the order of
    :data:`FILE_FORMATS`.

    The formats are written by ``workers`` processes (default: one per core, at most two)
    forked with the graph in memory, so nothing is read or laid out twice per worker; with one
    worker (or where ``fork`` is missing) they are written one after the other here. A failure
    raises the first format's error; the files of the formats that succeeded stay written.
    """
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from .files import default_name

    graphs = _graphs(source)
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    jobs = {fmt: str(target / default_name(fmt)) for fmt in FILE_FORMATS}
    count = workers if workers is not None else min(2, os.cpu_count() or 1)
    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [export(graphs, format=fmt, output=out, lang=lang) for fmt, out in jobs.items()]
    order = sorted(jobs, key=lambda f: _SLOWEST_FIRST.index(f) if f in _SLOWEST_FIRST else 99)
    _SHARED["graphs"] = graphs
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            futures = {fmt: pool.submit(_export_shared, fmt, jobs[fmt], lang) for fmt in order}
            return [futures[fmt].result() for fmt in FILE_FORMATS]
    finally:
        _SHARED.clear()
