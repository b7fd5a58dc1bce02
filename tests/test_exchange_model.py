"""The shared node/edge/table model of the exports (issue 10): its counts are the graph's, checked
against SPARQL counts that do not go through the model."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from pipeline_atlas.exchange.model import LABEL, GraphModel, ModelError, node_id
from pipeline_atlas.namespaces import INFERRED_GRAPH, PREFIXES

ONTOLOGY = PREFIXES["pag"] + "ontology/"


@pytest.fixture(scope="module")
def graphs(reasoned_graphs: dict[str, list[ox.Quad]]) -> dict[str, list[ox.Quad]]:
    return reasoned_graphs


@pytest.fixture(scope="module")
def store(graphs: dict[str, list[ox.Quad]]) -> ox.Store:
    store = ox.Store()
    store.extend([q for quads in graphs.values() for q in quads])
    return store


@pytest.fixture(scope="module")
def model(graphs: dict[str, list[ox.Quad]]) -> GraphModel:
    return GraphModel.from_graphs(graphs)


def _count(store: ox.Store, sparql: str) -> int:
    prologue = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    (row,) = list(store.query(prologue + sparql))  # type: ignore[arg-type]
    return int(row[0].value)


# The data graphs: every named graph but the ontology's; the reasoner's statements only about
# subjects that another data graph describes.
DATA = f"""
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(!STRSTARTS(STR(?g), "{ONTOLOGY}"))
  FILTER(?g != <{INFERRED_GRAPH}> || EXISTS {{
    GRAPH ?h {{ ?s ?q ?v }} FILTER(?h != <{INFERRED_GRAPH}> && !STRSTARTS(STR(?h), "{ONTOLOGY}"))
  }})
"""


def test_nodes_are_the_subjects_of_the_data_graphs(model: GraphModel, store: ox.Store) -> None:
    expected = _count(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {DATA} }}")
    assert len(model.nodes) == expected
    assert "body/ice" in model.nodes and "pa:Stage" not in model.nodes


def test_each_table_has_the_asserted_members_of_its_class(
    model: GraphModel, store: ox.Store
) -> None:
    rows = store.query(
        f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{
          GRAPH ?g {{ ?s a ?c }}
          FILTER(!STRSTARTS(STR(?g), "{ONTOLOGY}") && ?g != <{INFERRED_GRAPH}>)
        }} GROUP BY ?c"""
    )
    expected = {row[0].value: int(row[1].value) for row in rows}  # type: ignore[union-attr]
    assert {t.class_iri: len(t.members) for t in model.tables} == expected
    assert len(model.table("county").members) == 58
    assert len(model.table("stage").members) == 4


def test_edges_are_the_statements_between_nodes(model: GraphModel, store: ox.Store) -> None:
    expected = _count(
        store,
        f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{
          {DATA}
          FILTER(isIRI(?o) && ?p != rdf:type)
          FILTER EXISTS {{ GRAPH ?k {{ ?o ?x ?y }}
            FILTER(!STRSTARTS(STR(?k), "{ONTOLOGY}") && ?k != <{INFERRED_GRAPH}>) }}
        }} }}""",
    )
    assert len(model.edges) == expected
    only_inferred = store.query(
        f"""SELECT DISTINCT ?s ?p ?o WHERE {{
          GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} FILTER(isIRI(?o) && ?p != rdf:type)
          FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{INFERRED_GRAPH}>) }}
          FILTER EXISTS {{ GRAPH ?h {{ ?s ?q ?v }}
            FILTER(?h != <{INFERRED_GRAPH}> && !STRSTARTS(STR(?h), "{ONTOLOGY}")) }}
        }}""".replace("rdf:type", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>")
    )
    expected_inferred = {
        (node_id(r[0].value), r[1].value, node_id(r[2].value))  # type: ignore[union-attr]
        for r in only_inferred
    }
    assert {(e.subject, e.property, e.object) for e in model.edges if e.inferred} == (
        expected_inferred
    )
    assert ("body/county-board-of-supervisors", PREFIXES["pa"] + "canBlock") in {
        (s, p) for s, p, _ in expected_inferred
    }


def test_attributes_and_edges_hold_every_other_statement(
    model: GraphModel, store: ox.Store
) -> None:
    statements = _count(
        store,
        f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{
          {DATA} FILTER(?p != rdf:type || !isIRI(?o)) }} }}""",
    )
    assert len(model.attributes) + len(model.edges) == statements


def test_rows_are_in_the_chosen_language(model: GraphModel) -> None:
    county = model.table("county")
    assert county.title("es") == "Condado"
    assert county.columns[:1] == ("label",)
    row = model.row(county, "jurisdiction/los-angeles-county", "es")
    assert row["label"] == "Condado de Los Ángeles"
    assert row["fips_code"] == "06037"
    assert model.row(county, "jurisdiction/los-angeles-county", "en")["label"] == (
        "Los Angeles County"
    )
    assert model.column(LABEL).key == "label"
    assert model.column_by_key("has_authority_over").kind == "reference"


def test_a_blank_node_in_the_data_is_refused() -> None:
    graph = PREFIXES["pag"] + "graph_data/x"
    quad = ox.Quad(ox.BlankNode("b"), ox.NamedNode(LABEL), ox.Literal("x"), ox.NamedNode(graph))
    with pytest.raises(ModelError, match="blank node"):
        GraphModel.from_graphs({graph: [quad]})
