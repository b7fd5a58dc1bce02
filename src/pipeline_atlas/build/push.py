"""Push the graph to a remote store through the SPARQL 1.1 Graph Store HTTP Protocol.

``pipeline-atlas push --endpoint URL [--graph-store URL] [--user U --password P]`` writes every
named graph of the built graph (one per source file, plus ``pag:inferred``) with ``PUT
?graph=IRI``, replacing the graph of that name. Each graph is replaced whole; a failure stops the
push and says which graph, and the graphs written before it stay written (a Graph Store has no
transaction across requests): push again to finish.

Where the Graph Store is: Oxigraph serves it at ``/store`` beside ``/query``; Virtuoso at
``/sparql-graph-crud-auth`` (digest authentication). Without ``--graph-store`` it is guessed from
the query URL: ``…/query`` → ``…/store``, ``…/sparql`` → ``…/sparql-graph-crud-auth`` when a user
is given, else ``…/sparql-graph-crud``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import pyoxigraph as ox

from ..store.remote import DEFAULT_HTTP_TIMEOUT, Credentials, check_url, graph_store_put

__all__ = ["graph_store_url", "push_graphs"]


def graph_store_url(endpoint: str, *, authenticated: bool = False) -> str:
    """The Graph Store URL that goes with a query endpoint.

    >>> graph_store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    >>> graph_store_url("http://127.0.0.1:8890/sparql", authenticated=True)
    'http://127.0.0.1:8890/sparql-graph-crud-auth'
    """
    check_url(endpoint)
    base, _, last = endpoint.rstrip("/").rpartition("/")
    if last == "query":
        return f"{base}/store"
    if last == "sparql":
        return f"{base}/sparql-graph-crud{'-auth' if authenticated else ''}"
    return endpoint


def push_graphs(
    graphs: Mapping[str, Sequence[ox.Quad | ox.Triple]],
    *,
    graph_store: str,
    credentials: Credentials | None = None,
    timeout: float = DEFAULT_HTTP_TIMEOUT,
    progress: Callable[[str, int], None] | None = None,
) -> int:
    """PUT every graph (IRI → triples) to ``graph_store``; return the number of triples sent.

    Raises :class:`~pipeline_atlas.errors.StoreError` naming the graph that failed.
    """
    total = 0
    for iri, triples in sorted(graphs.items()):
        data = _ntriples(triples)
        graph_store_put(graph_store, iri, data, credentials=credentials, timeout=timeout)
        total += len(triples)
        if progress is not None:
            progress(iri, len(triples))
    return total


def _ntriples(triples: Iterable[ox.Quad | ox.Triple]) -> bytes:
    plain = [ox.Triple(t.subject, t.predicate, t.object) for t in triples]
    return ox.serialize(plain, format=ox.RdfFormat.N_TRIPLES) or b""
