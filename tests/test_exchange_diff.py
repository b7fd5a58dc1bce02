"""`diff`: what changed between two versions of the real graph, exactly, in English and Spanish;
identical versions (a store and its export, blank nodes relabelled) → no changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from pipeline_atlas.atlas import Atlas
from pipeline_atlas.build.load import graphs_of
from pipeline_atlas.cli import app
from pipeline_atlas.exchange import rdf
from pipeline_atlas.exchange.diff import DiffError, diff_graphs, diff_paths, read
from pipeline_atlas.exchange.metadata import dataset_metadata, metadata_counts
from pipeline_atlas.namespaces import METADATA_GRAPH, PREFIXES

Graphs = dict[str, list[ox.Quad]]
STAGES = PREFIXES["pag"] + "graph_data/seed/stages"
ONTOLOGY = PREFIXES["pag"] + "ontology/pipeline-atlas"
STAGE, PA, RDFS = PREFIXES["stage"], PREFIXES["pa"], PREFIXES["rdfs"]
LABEL = ox.NamedNode(RDFS + "label")
runner = CliRunner()


@pytest.fixture(scope="module")
def graphs() -> Iterator[Graphs]:
    atlas = Atlas.build(reason=False)
    try:
        found = graphs_of(atlas)
        found[METADATA_GRAPH] = dataset_metadata(found)
        yield found
    finally:
        atlas.close()


def label_of(graphs: Graphs, iri: str, lang: str) -> str:
    """The rdfs:label of ``iri`` in ``lang``, by SPARQL."""
    store = ox.Store()
    store.extend(q for quads in graphs.values() for q in quads)
    rows = store.query(
        f'SELECT ?l WHERE {{ GRAPH ?g {{ <{iri}> <{RDFS}label> ?l FILTER(lang(?l) = "{lang}") }} }}'
    )
    assert isinstance(rows, ox.QuerySolutions)
    (row,) = list(rows)
    return str(row["l"].value)


def quad(subject: str, predicate: str, obj: ox.NamedNode | ox.Literal) -> ox.Quad:
    return ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate), obj, ox.NamedNode(STAGES))


def versions(graphs: Graphs) -> tuple[Graphs, Graphs]:
    """OLD: the real graph with a node stage:old-node; NEW: the real graph with police-stop's
    English label changed and a node stage:new-node. Each with its own dataset description."""
    old = {name: list(quads) for name, quads in graphs.items() if name != METADATA_GRAPH}
    new = {name: list(quads) for name, quads in old.items()}
    old[STAGES] += [
        quad(STAGE + "old-node", RDFS + "label", ox.Literal("Old node", language="en")),
        quad(STAGE + "old-node", RDFS + "comment", ox.Literal("Gone.")),
    ]
    police = ox.NamedNode(STAGE + "police-stop")
    english = label_of(graphs, police.value, "en")
    new[STAGES] = [
        ox.Quad(q.subject, q.predicate, ox.Literal("Traffic stop", language="en"), q.graph_name)
        if q.subject == police
        and q.predicate == LABEL
        and q.object == ox.Literal(english, language="en")
        else q
        for q in new[STAGES]
    ]
    new[STAGES] += [
        quad(STAGE + "new-node", PREFIXES["rdf"] + "type", ox.NamedNode(PA + "Stage")),
        quad(STAGE + "new-node", RDFS + "label", ox.Literal("Nueva", language="es")),
        quad(
            STAGE + "new-node",
            PA + "stageOrder",
            ox.Literal("99", datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")),
        ),
    ]
    old[METADATA_GRAPH] = dataset_metadata(old)
    new[METADATA_GRAPH] = dataset_metadata(new)
    return old, new


def test_changes_in_english(graphs: Graphs) -> None:
    old, new = versions(graphs)
    result = diff_graphs(old, new, lang="en", old_name="v1", new_name="v2")
    police_en = label_of(graphs, STAGE + "police-stop", "en")
    order = label_of(graphs, PA + "stageOrder", "en")
    before, after = metadata_counts(old), metadata_counts(new)
    graphs_count = len([name for name in new if name != METADATA_GRAPH])
    assert not result.same
    assert result.to_text() == (
        "v1 → v2: nodes changed: 3 (new: 1, removed: 1, changed: 1); statements added: 4, "
        "removed: 3\n"
        f"the dataset's description (pag:metadata) counts {before.triples} → {after.triples} "
        f"triples in {graphs_count} → {graphs_count} named graphs; its counts are not listed "
        "below\n"
        "\n"
        "new node: Nueva (stage:new-node)\n"
        f'  + pa:stageOrder ({order}): "99"^^xsd:integer\n'
        "  + rdf:type: pa:Stage\n"
        '  + rdfs:label: "Nueva"@es\n'
        "\n"
        "removed node: Old node (stage:old-node)\n"
        '  - rdfs:comment: "Gone."\n'
        '  - rdfs:label: "Old node"@en\n'
        "\n"
        "changed: Traffic stop (stage:police-stop)\n"
        f'  - rdfs:label: "{police_en}"@en\n'
        '  + rdfs:label: "Traffic stop"@en\n'
    )
    assert [(n.node, n.status, n.added, n.removed) for n in result.nodes] == [
        (STAGE + "new-node", "added", 3, 0),
        (STAGE + "old-node", "removed", 0, 2),
        (STAGE + "police-stop", "changed", 1, 1),
    ]


def test_changes_in_spanish(graphs: Graphs) -> None:
    old, new = versions(graphs)
    result = diff_graphs(old, new, lang="es", old_name="v1", new_name="v2")
    police_en = label_of(graphs, STAGE + "police-stop", "en")
    police_es = label_of(graphs, STAGE + "police-stop", "es")
    order = label_of(graphs, PA + "stageOrder", "es")
    before, after = metadata_counts(old), metadata_counts(new)
    n = len([name for name in new if name != METADATA_GRAPH])
    assert result.to_text() == (
        "v1 → v2: nodos que cambian: 3 (nuevos: 1, eliminados: 1, modificados: 1); "
        "afirmaciones añadidas: 4, eliminadas: 3\n"
        f"la descripción del conjunto de datos (pag:metadata) cuenta {before.triples} → "
        f"{after.triples} tripletas en {n} → {n} grafos con nombre; sus recuentos no se "
        "detallan abajo\n"
        "\n"
        "nodo nuevo: Nueva (stage:new-node)\n"
        f'  + pa:stageOrder ({order}): "99"^^xsd:integer\n'
        "  + rdf:type: pa:Stage\n"
        '  + rdfs:label: "Nueva"@es\n'
        "\n"
        "nodo eliminado: Old node (stage:old-node)\n"
        '  - rdfs:comment: "Gone."\n'
        '  - rdfs:label: "Old node"@en\n'
        "\n"
        f"modificado: {police_es} (stage:police-stop)\n"
        f'  - rdfs:label: "{police_en}"@en\n'
        '  + rdfs:label: "Traffic stop"@en\n'
    )


def test_a_store_and_its_exports_have_no_changes(graphs: Graphs, tmp_path: Path) -> None:
    """Every export read back (fresh blank nodes, the union of the graphs for Turtle) makes the
    same statements as the graphs: OWL restrictions and SHACL lists are not reported."""
    for fmt, suffix in (
        ("turtle", "ttl"),
        ("nquads", "nq"),
        ("jsonld", "jsonld"),
        ("rdfxml", "rdf"),
    ):
        file = tmp_path / f"export.{suffix}"
        rdf.write(graphs, fmt, str(file))
        result = diff_graphs(graphs, read(file), old_name="store", new_name=file.name)
        assert result.same, result.to_text()[:2000]
        assert result.to_text().startswith(
            f"no changes: store and {file.name} make the same statements ("
        )


def test_a_changed_restriction_shows_written_out(graphs: Graphs) -> None:
    """A blank node's content is compared: dropping one item of an owl:unionOf list shows the
    old and the new class expression, nothing else."""
    ontology = graphs[ONTOLOGY]
    nil = ox.NamedNode(PREFIXES["rdf"] + "nil")
    rest = ox.NamedNode(PREFIXES["rdf"] + "rest")
    last = next(q for q in ontology if q.predicate == rest and q.object == nil)
    changed = {**graphs, ONTOLOGY: [q for q in ontology if q != last]}
    result = diff_graphs(graphs, changed)
    assert len(result.nodes) == 1
    (change,) = result.nodes
    assert change.status == "changed"
    (old_value,) = [s.value for s in change.statements if not s.added]
    (new_value,) = [s.value for s in change.statements if s.added]
    assert "( " in old_value and "rdf:first" not in old_value  # a list, written as one
    assert "rdf:first" in new_value  # no longer a well-formed list


def test_unreadable_versions_are_diff_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    with pytest.raises(DiffError, match=r"bad\.ttl: cannot read it as Turtle: .*line 1"):
        read(bad)
    with pytest.raises(DiffError, match="no existe"):
        read(tmp_path / "missing.nt", lang="es")
    other = tmp_path / "notes.txt"
    other.write_text("x")
    with pytest.raises(DiffError, match=r"notes\.txt: not a store folder nor an RDF file"):
        diff_paths(other, bad)


def test_the_command_exit_codes(graphs: Graphs, tmp_path: Path) -> None:
    old, new = versions(graphs)
    for name, version in (("old", old), ("new", new)):
        rdf.write(version, "trig", str(tmp_path / f"{name}.trig"))
    same = runner.invoke(app, ["diff", str(tmp_path / "old.trig"), str(tmp_path / "old.trig")])
    assert same.exit_code == 0, same.output
    assert same.stdout.startswith("no changes: ")
    changed = runner.invoke(
        app, ["--lang", "es", "diff", str(tmp_path / "old.trig"), str(tmp_path / "new.trig")]
    )
    assert changed.exit_code == 1
    expected = diff_paths(tmp_path / "old.trig", tmp_path / "new.trig", lang="es").to_text()
    assert changed.stdout == expected
    assert "nodo nuevo: Nueva (stage:new-node)" in expected
    broken = runner.invoke(app, ["diff", str(tmp_path / "old.trig"), str(tmp_path / "nope.nq")])
    assert broken.exit_code == 2
    assert "Traceback" not in broken.output
    assert "nope.nq: no such file or folder" in broken.stderr
