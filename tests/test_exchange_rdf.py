"""RDF exports: every format parsed back with rdflib (a second library) is isomorphic to the
store, graph by graph where the format keeps named graphs; the JSON-LD context file is the one
the ontology gives; a failed export leaves no file. (They call ``rdf.write`` itself: the graphs
written are exactly the graphs compared.)"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from pipeline_atlas.exchange import ExportError
from pipeline_atlas.exchange.rdf import (
    CONTEXT_FILE,
    RDF_FORMATS,
    context_text,
    read_context,
    serialize,
    write,
)
from pipeline_atlas.namespaces import PREFIXES
from pipeline_atlas.paths import project_paths

RDFLIB_FORMATS = {
    "turtle": "turtle",
    "nt": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "rdfxml": "xml",
    "jsonld": "json-ld",
}
NAMED = ("nquads", "trig", "jsonld")
XSD_STRING = PREFIXES["xsd"] + "string"


@pytest.fixture(scope="module")
def graphs(unreasoned_graphs: dict[str, list[ox.Quad]]) -> dict[str, list[ox.Quad]]:
    return unreasoned_graphs


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> rdflib.term.Node:
    """A pyoxigraph term as rdflib's (written here, independently of the exporter)."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise AssertionError(f"unexpected term {term!r}")


def store_graph(quads: list[ox.Quad]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for q in quads:
        graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


def same_graph(left: rdflib.Graph, right: rdflib.Graph) -> bool:
    """Whether two graphs are isomorphic: the same triples without blank nodes, and isomorphic
    triples with them (rdflib.compare on that part only: the same answer as on the whole graph,
    faster)."""

    def split(graph: rdflib.Graph) -> tuple[set[tuple[rdflib.term.Node, ...]], rdflib.Graph]:
        ground: set[tuple[rdflib.term.Node, ...]] = set()
        blank = rdflib.Graph()
        for triple in graph:
            if any(isinstance(term, rdflib.BNode) for term in triple):
                blank.add(triple)
            else:
                ground.add(triple)
        return ground, blank

    (ground_left, blank_left), (ground_right, blank_right) = split(left), split(right)
    return ground_left == ground_right and isomorphic(blank_left, blank_right)


def test_the_store_has_blank_nodes(graphs: dict[str, list[ox.Quad]]) -> None:
    """The comparison below is only meaningful with blank nodes (OWL restrictions, SHACL
    lists) in more than one graph."""
    with_blank = {
        name
        for name, quads in graphs.items()
        if any(isinstance(q.subject, ox.BlankNode) for q in quads)
    }
    assert {PREFIXES["pag"] + "ontology/pipeline-atlas", PREFIXES["pag"] + "ontology/shapes"} <= (
        with_blank
    )


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_every_format_round_trips_through_rdflib(
    fmt: str, graphs: dict[str, list[ox.Quad]], tmp_path: Path
) -> None:
    output = tmp_path / f"export.{fmt}"
    result = write(graphs, fmt, str(output))
    assert result.format == fmt and result.outputs == (str(output),)
    union = store_graph([q for quads in graphs.values() for q in quads])
    assert result.counts["triples"] == len(union)
    assert result.counts["graphs"] == len(graphs)
    if fmt in NAMED:
        assert result.counts["quads"] == sum(len(q) for q in graphs.values())
        dataset = rdflib.Dataset()
        dataset.parse(output, format=RDFLIB_FORMATS[fmt])
        parsed = {
            str(g.identifier): g for g in dataset.graphs() if str(g.identifier) in graphs or len(g)
        }
        assert set(parsed) == set(graphs)
        for name, quads in graphs.items():
            assert same_graph(parsed[name], store_graph(quads)), name
    else:
        parsed_graph = rdflib.Graph().parse(output, format=RDFLIB_FORMATS[fmt])
        assert len(parsed_graph) == len(union)
        assert same_graph(parsed_graph, union)


def test_the_same_graph_gives_the_same_bytes(graphs: dict[str, list[ox.Quad]]) -> None:
    """Blank nodes are canonical and quads sorted: a fresh parse (new blank node ids, another
    order) exports to the same bytes."""
    reshuffled = {
        name: list(reversed(list(ox.Dataset(quads)))) for name, quads in reversed(graphs.items())
    }
    for fmt in ("turtle", "trig", "jsonld"):
        assert serialize(graphs, fmt) == serialize(reshuffled, fmt), fmt


def test_turtle_and_trig_use_the_project_prefixes(
    graphs: dict[str, list[ox.Quad]], tmp_path: Path
) -> None:
    for fmt in ("turtle", "trig"):
        text = write(graphs, fmt, str(tmp_path / f"x.{fmt}")).outputs[0]
        head = Path(text).read_text(encoding="utf-8")
        for prefix, namespace in PREFIXES.items():
            assert f"@prefix {prefix}: <{namespace}> ." in head
        assert "stage:police-stop" in head


def test_context_file_is_the_ontologys(graphs: dict[str, list[ox.Quad]]) -> None:
    """ontology/context.jsonld is what the ontology gives: every prefix, one term per pa:
    property, object properties coerced to IRIs (checked against a SPARQL query)."""
    root = project_paths().root
    assert (root / CONTEXT_FILE).read_text(encoding="utf-8") == context_text(graphs)
    context = read_context(root)
    store = ox.Store()
    store.extend(q for quads in graphs.values() for q in quads)
    rows = store.query(
        """PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT DISTINCT ?p ?kind WHERE { GRAPH ?g { ?p a ?kind }
          VALUES ?kind { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
          FILTER(STRSTARTS(STR(?p), "https://w3id.org/pipeline-atlas/ont/")) }"""
    )
    assert isinstance(rows, ox.QuerySolutions)
    expected: dict[str, bool] = {}
    for row in rows:
        iri = row["p"].value
        expected[iri] = expected.get(iri, False) or row["kind"].value.endswith("ObjectProperty")
    terms = {
        value["@id"]: value.get("@type") == "@id"
        for value in context.values()
        if isinstance(value, dict)
    }
    assert terms == {"pa:" + iri[len(PREFIXES["pa"]) :]: kind for iri, kind in expected.items()}
    for prefix, namespace in PREFIXES.items():
        assert context[prefix] == namespace


def test_jsonld_is_compact_and_embeds_the_context(
    graphs: dict[str, list[ox.Quad]], tmp_path: Path
) -> None:
    output = tmp_path / "x.jsonld"
    write(graphs, "jsonld", str(output))
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["@context"] == read_context()
    by_graph = {g["@id"]: g["@graph"] for g in document["@graph"]}
    stages = {n["@id"]: n for n in by_graph["pag:graph_data/seed/stages"]}
    police = stages["stage:police-stop"]
    assert police["@type"] == "pa:Stage"
    store = ox.Store()
    store.extend(graphs[PREFIXES["pag"] + "graph_data/seed/stages"])
    police_stop, next_stage = PREFIXES["stage"] + "police-stop", PREFIXES["pa"] + "nextStage"
    rows = store.query(
        f"SELECT ?next WHERE {{ GRAPH ?g {{ <{police_stop}> <{next_stage}> ?next }} }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    (row,) = list(rows)
    # an object property: a plain CURIE string
    assert police["nextStage"] == "stage:" + row["next"].value[len(PREFIXES["stage"]) :]


def test_unwritable_output_is_an_export_error_and_leaves_no_file(
    graphs: dict[str, list[ox.Quad]], tmp_path: Path
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):  # running as root: a read-only folder is still writable
            target = tmp_path / "a-file" / "x.ttl"
            (tmp_path / "a-file").write_text("not a folder")
        else:
            target = folder / "x.ttl"
        with pytest.raises(ExportError, match=r"cannot write turtle to .*x\.ttl"):
            write(graphs, "turtle", str(target))
        assert not target.exists()
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_failed_export_keeps_the_previous_file(
    graphs: dict[str, list[ox.Quad]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error while writing (here: the disk fills up) leaves the old export as it was and no
    temporary file beside it."""
    target = tmp_path / "x.nt"
    target.write_text("old\n")

    def full(self: Path, data: bytes) -> int:
        with self.open("wb") as handle:
            handle.write(data[:100])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(ExportError, match="No space left on device"):
        write(graphs, "nt", str(target))
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.nt"]


def test_a_folder_as_output_is_refused(graphs: dict[str, list[ox.Quad]], tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="it is a folder"):
        write(graphs, "trig", str(tmp_path))
