"""The property-graph exports (Neo4j CSV and GraphML) of the real graph, with the reasoner's
output, against independent SPARQL counts. No Neo4j server runs here: the files are checked
with the csv module (headers, types, ids) and the Cypher script by what it names."""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterator
from pathlib import Path

import networkx
import pyoxigraph as ox
import pytest

from pipeline_atlas.exchange import ExportError, export, propertygraph
from pipeline_atlas.exchange.model import GraphModel, node_id
from pipeline_atlas.namespaces import PREFIXES
from test_exchange_tables import DATA, count, edges_by_sparql, select

LA_COUNTY = PREFIXES["paid"] + "jurisdiction/los-angeles-county"


@pytest.fixture(scope="module")
def out(
    reasoned_graphs: dict[str, list[ox.Quad]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("propertygraph")
    export(reasoned_graphs, format="neo4j", output=folder / "atlas.neo4j", lang="en")
    export(reasoned_graphs, format="graphml", output=folder / "atlas.graphml", lang="es")
    yield folder


@pytest.fixture(scope="module")
def store(reasoned_graphs: dict[str, list[ox.Quad]]) -> ox.Store:
    """The same quads in a pyoxigraph store, for the independent queries."""
    made = ox.Store()
    made.extend(q for quads in reasoned_graphs.values() for q in quads)
    return made


@pytest.fixture(scope="module")
def model(reasoned_graphs: dict[str, list[ox.Quad]]) -> GraphModel:
    return GraphModel.from_graphs(reasoned_graphs)


def node_count(store: ox.Store) -> int:
    return count(
        store,
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {DATA} }}",
    )


def read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


# -- GraphML -------------------------------------------------------------------------------------


def test_graphml_has_the_graph_s_nodes_and_edges(
    out: Path, store: ox.Store, model: GraphModel
) -> None:
    graph = networkx.read_graphml(out / "atlas.graphml")
    expected = edges_by_sparql(store)
    assert graph.number_of_nodes() == len(model.nodes) == node_count(store)
    assert graph.number_of_edges() == len(model.edges) == len(expected)
    got = {(s, data["property"], o): data["inferred"] for s, o, data in graph.edges(data=True)}
    assert got == expected


def test_graphml_labels_are_in_the_export_s_language(out: Path, store: ox.Store) -> None:
    graph = networkx.read_graphml(out / "atlas.graphml")
    (row,) = select(
        store,
        f"""SELECT ?l WHERE {{ GRAPH ?g {{ <{LA_COUNTY}> <{PREFIXES["rdfs"]}label> ?l }}
        FILTER(LANG(?l) = "es") }}""",
    )
    node = graph.nodes[node_id(LA_COUNTY)]
    assert node["label"] == row["l"].value == "Condado de Los Ángeles"
    assert node["classes"] == "pa:County"
    seats = select(
        store,
        f"SELECT ?o WHERE {{ GRAPH ?g {{ <{LA_COUNTY}> <{PREFIXES['pa']}hasCountySeat> ?o }} }}",
    )
    for seat in seats:
        links = graph.get_edge_data(node_id(LA_COUNTY), node_id(seat["o"].value))
        assert any(data["relation"] == "HAS_COUNTY_SEAT" for data in links.values())
    assert seats


def test_graphml_declares_typed_keys(out: Path) -> None:
    graph = networkx.read_graphml(out / "atlas.graphml")
    populations = [
        data["census_population2020"]
        for _, data in graph.nodes(data=True)
        if "census_population2020" in data
    ]
    assert populations and all(isinstance(p, int) for p in populations)


# -- Neo4j ---------------------------------------------------------------------------------------

HEADER = re.compile(r"^[a-z][a-z0-9_]*:(string|long|boolean|double|date)(\[\])?$")


def test_neo4j_nodes(out: Path, store: ox.Store, model: GraphModel) -> None:
    header, rows = read(out / "atlas.neo4j" / "nodes.csv")
    assert header[:3] == ["id:ID", ":LABEL", "iri"]
    assert all(HEADER.match(cell) for cell in header[3:]), header
    assert len(rows) == len(model.nodes) == node_count(store)
    ids = [row[0] for row in rows]
    assert len(set(ids)) == len(ids)
    delimiter = propertygraph.ARRAY_DELIMITER
    for row in rows:
        assert row[1].split(delimiter)[0] == propertygraph.BASE_LABEL
        for name, cell in zip(header[3:], row[3:], strict=True):
            if not cell:
                continue
            kind = name.split(":")[1].removesuffix("[]")
            for item in cell.split(delimiter) if name.endswith("[]") else [cell]:
                if kind == "long":
                    int(item)
                elif kind == "boolean":
                    assert item in ("true", "false")
                elif kind == "date":
                    datetime.date.fromisoformat(item)
    members = count(
        store,
        f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        GRAPH ?g {{ ?s a <{PREFIXES["pa"]}County> }} {DATA} }}""",
    )
    assert sum("County" in row[1].split(delimiter) for row in rows) == members


def test_neo4j_relationships(out: Path, store: ox.Store, model: GraphModel) -> None:
    _, nodes = read(out / "atlas.neo4j" / "nodes.csv")
    ids = {row[0] for row in nodes}
    header, rows = read(out / "atlas.neo4j" / "relationships.csv")
    assert header == [":START_ID", ":END_ID", ":TYPE", "property", "inferred:boolean"]
    expected = edges_by_sparql(store)
    assert len(rows) == len(model.edges) == len(expected)
    assert all(start in ids and end in ids for start, end, *_ in rows)
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", row[2]) for row in rows)
    assert {(s, p, o): i == "true" for s, o, _, p, i in rows} == expected


def test_the_cypher_script_loads_every_file(out: Path) -> None:
    folder = out / "atlas.neo4j"
    script = (folder / "load.cypher").read_text(encoding="utf-8")
    loaded = set(re.findall(r"LOAD CSV WITH HEADERS FROM 'file:///([^']+)'", script))
    assert loaded == {"nodes.csv", "relationships.csv"}
    assert all((folder / name).is_file() for name in loaded)
    _, rows = read(folder / "nodes.csv")
    labels = {label for row in rows for label in row[1].split(propertygraph.ARRAY_DELIMITER)}
    constrained = set(re.findall(r"FOR \(n:`([^`]+)`\) REQUIRE n\.id IS UNIQUE", script))
    assert constrained == labels
    _, relationships = read(folder / "relationships.csv")
    types = {row[2] for row in relationships}
    assert set(re.findall(r"WHERE row\.`:TYPE` = '([A-Z0-9_]+)'", script)) == types
    command = (folder / "import.sh").read_text(encoding="utf-8")
    assert 'neo4j-admin database import full "$database"' in command
    assert '--nodes="$here/nodes.csv"' in command
    assert '--relationships="$here/relationships.csv"' in command
    assert f"--array-delimiter='{propertygraph.ARRAY_DELIMITER}'" in command


def test_inferred_links_are_marked(out: Path, store: ox.Store) -> None:
    _, rows = read(out / "atlas.neo4j" / "relationships.csv")
    only_inferred = sum(edges_by_sparql(store).values())
    assert only_inferred > 0
    assert sum(row[4] == "true" for row in rows) == only_inferred


def test_a_failed_export_leaves_nothing(
    reasoned_graphs: dict[str, list[ox.Quad]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(model: GraphModel, path: Path, *, lang: str) -> None:
        path.write_text("<graphml>half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(propertygraph, "write_graphml", fail)
    with pytest.raises(ExportError, match="No space left"):
        export(reasoned_graphs, format="graphml", output=tmp_path / "g.graphml")

    def fail_cypher(*args: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(propertygraph, "cypher_script", fail_cypher)
    with pytest.raises(ExportError, match="No space left"):
        export(reasoned_graphs, format="neo4j", output=tmp_path / "n.neo4j")
    assert list(tmp_path.iterdir()) == []
