"""Helpers shared by the SQL export tests (SQLite here, PostgreSQL in tests/integration): counts
of the graph computed by SPARQL straight over the quads (not through the export's model), and
the headline answers of the SPARQL catalogue as comparable tuples."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pyoxigraph as ox

from pipeline_atlas import Atlas
from pipeline_atlas.namespaces import INFERRED_GRAPH, PREFIXES

ID = PREFIXES["paid"]
ONTOLOGY = PREFIXES["pag"] + "ontology/"

# Places for the per-city comparison, each for a reason (checked in the tests where it matters).
CITIES = [
    "oakland",
    "san-francisco",
    "fresno",
    "long-beach",
    "los-angeles",
    "sunnyvale",  # a department of public safety
    "sonoma",  # police by contract: its provider is part of the county sheriff's department
    "windsor",  # the same
    "santa-fe-springs",  # police services contracted from another city's department
    "agoura-hills",  # no police provider in the data (status unknown on the police side)
    "adelanto",  # the same
    "los-angeles-county-unincorporated",
    "alpine-county-unincorporated",
    "nowhere-at-all",  # not a place: no rows on either side
]

STAGE_COLUMNS = [
    "stage",
    "stageLabel",
    "stageOrder",
    "body",
    "bodyLabel",
    "action",
    "actionLabel",
    "agency",
    "agencyLabel",
    "dataKindLabel",
    "passage",
    "passageText",
]
CITY_COLUMNS = [
    "stage",
    "stageLabel",
    "stageOrder",
    "flow",
    "flowLabel",
    "dataKindLabel",
    "action",
    "actionLabel",
    "body",
    "bodyLabel",
    "status",
    "genericBodyLabel",
    "canDo",
]


def short(value: Any) -> Any:
    """An instance IRI as a node id (``stage/police-stop``); a number as an int; else as is."""
    if isinstance(value, str):
        return value.removeprefix(ID)
    return value


def sparql_rows(
    atlas: Atlas, name: str, columns: Sequence[str], **params: str
) -> list[tuple[Any, ...]]:
    """The rows of catalogue query ``name`` as tuples of ``columns`` (node ids, not IRIs)."""
    result = atlas.query(name, params=params, max_rows=None)
    return [tuple(short(row[c]) for c in columns) for row in result.rows]


def sql_rows(rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Rows of a SQL answer as tuples."""
    return [tuple(row) for row in rows]


def same_rows(sparql: Sequence[tuple[Any, ...]], sql: Sequence[tuple[Any, ...]]) -> bool:
    """Whether both answers hold the same rows the same number of times."""
    return Counter(sparql) == Counter(sql)


def store_of(graphs: Mapping[str, Sequence[ox.Quad]]) -> ox.Store:
    """A pyoxigraph store holding ``graphs``."""
    store = ox.Store()
    store.extend(q for quads in graphs.values() for q in quads)
    return store


def _data(g: str) -> str:
    """A filter: ``?g`` is a data graph."""
    return f'!STRSTARTS(STR(?{g}), "{ONTOLOGY}")'


def _described(g: str, v: str) -> str:
    """A filter: ``?v`` is the subject of a statement in a data graph other than the inferred."""
    return (
        f"FILTER EXISTS {{ GRAPH ?{g} {{ ?{v} ?{g}p ?{g}o }} "
        f"FILTER({_data(g)} && ?{g} != <{INFERRED_GRAPH}>) }}"
    )


_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _count(store: ox.Store, query: str) -> int:
    solutions = list(store.query(query))  # type: ignore[arg-type]
    return int(solutions[0]["n"].value)


def graph_counts(graphs: Mapping[str, Sequence[ox.Quad]]) -> dict[str, Any]:
    """What the export must hold, by SPARQL over the data graphs (every graph but the
    ontology's): ``nodes`` (subjects of a non-inferred data statement), ``relations``
    (distinct statements between nodes, rdf:type aside), ``inferred_relations`` (those only
    the reasoner states), ``attributes`` (distinct other statements about nodes), ``classes``
    (class IRI → asserted members), ``node_classes`` (asserted and inferred (node, class)
    pairs)."""
    store = store_of(graphs)
    data = _data("g")
    nodes = _count(
        store,
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER({data} && ?g != <{INFERRED_GRAPH}>) }}",
    )
    statement = f"GRAPH ?g {{ ?s ?p ?o }} FILTER({data} && ?p != {_RDF_TYPE}) "
    statement += _described("g1", "s")
    relations = _count(
        store,
        "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o WHERE { "
        f"{statement} FILTER(isIRI(?o)) {_described('g2', 'o')} }} }} }}",
    )
    inferred = _count(
        store,
        "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o WHERE { "
        f"{statement} FILTER(isIRI(?o) && ?g = <{INFERRED_GRAPH}>) "
        f"{_described('g2', 'o')} "
        "FILTER NOT EXISTS { GRAPH ?g3 { ?s ?p ?o } "
        f"FILTER({_data('g3')} && ?g3 != <{INFERRED_GRAPH}>) }} }} }} }}",
    )
    attributes = _count(
        store,
        "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o WHERE { "
        f"{statement} FILTER(isLiteral(?o) || NOT EXISTS {{ GRAPH ?g2 {{ ?o ?x ?y }} "
        f"FILTER({_data('g2')} && ?g2 != <{INFERRED_GRAPH}>) }}) }} }} }}",
    )
    classes = {
        str(row["c"].value): int(row["n"].value)
        for row in store.query(  # type: ignore[union-attr]
            f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s {_RDF_TYPE} ?c }} "
            f"FILTER({data} && ?g != <{INFERRED_GRAPH}>) }} GROUP BY ?c"
        )
    }
    node_classes = _count(
        store,
        "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?c WHERE { "
        f"GRAPH ?g {{ ?s {_RDF_TYPE} ?c }} FILTER({data} && isIRI(?c)) "
        f"{_described('g1', 's')} }} }} }}",
    )
    return {
        "nodes": nodes,
        "relations": relations,
        "inferred_relations": inferred,
        "attributes": attributes,
        "classes": classes,
        "node_classes": node_classes,
    }
