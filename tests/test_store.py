"""The store boundary and loading: one named graph a file, atomic builds, persistent stores, the
inferred graph, limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline_atlas.atlas import Atlas, Stats
from pipeline_atlas.build import build_graphs
from pipeline_atlas.build.load import graph_iri, parse_files, source_files
from pipeline_atlas.errors import (
    ForbiddenQueryError,
    QueryLimitError,
    ReasonerError,
    StoreError,
    TurtleSyntaxError,
)
from pipeline_atlas.namespaces import INFERRED_GRAPH
from pipeline_atlas.paths import ProjectPaths
from pipeline_atlas.store import EmbeddedStore, QueryStore, RemoteStore, SandboxedStore

PAG = "https://w3id.org/pipeline-atlas/graph/"
GRAPHS = {
    PAG + "graph_data/extra/bodies": 2,
    PAG + "graph_data/seed/stages": 9,
    PAG + "ontology/test-ontology": 10,
}
MALFORMED = '@prefix pa: <https://w3id.org/pipeline-atlas/ont/> .\npa:x pa:y "unclosed .\n'


def add_malformed(paths: ProjectPaths) -> Path:
    bad = paths.graph_data / "seed" / "zz-broken.ttl"
    bad.write_text(MALFORMED, encoding="utf-8")
    return bad


def graph_counts(atlas: Atlas) -> dict[str, int]:
    return atlas.stats().graphs


def test_every_store_is_a_query_store() -> None:
    assert isinstance(EmbeddedStore(), QueryStore)
    assert isinstance(RemoteStore("http://127.0.0.1:9/query"), QueryStore)
    assert isinstance(SandboxedStore(("nquads", b"")), QueryStore)


def test_the_query_store_protocol_only_reads() -> None:
    members = {name for name in dir(QueryStore) if not name.startswith("_")}
    members |= set(QueryStore.__annotations__)
    assert members == {"close", "describe", "named_graphs", "query", "union_default_graph"}


def test_union_default_graph_is_declared() -> None:
    assert EmbeddedStore().union_default_graph is True
    assert RemoteStore("http://127.0.0.1:9/query").union_default_graph is False
    assert RemoteStore("http://127.0.0.1:9/query", union_default_graph=True).union_default_graph


def test_graph_iri_follows_the_path_rule() -> None:
    root = Path("/p")
    assert graph_iri(root / "ontology" / "pipeline-atlas.ttl", root=root) == (
        PAG + "ontology/pipeline-atlas"
    )
    assert graph_iri(root / "graph_data" / "seed" / "actions.ttl", root=root) == (
        PAG + "graph_data/seed/actions"
    )


def test_source_files_are_ttl_and_nt_sorted_and_skip_hidden(fixture_project: ProjectPaths) -> None:
    hidden = fixture_project.graph_data / ".cache"
    hidden.mkdir()
    (hidden / "x.ttl").write_text("", encoding="utf-8")
    (fixture_project.graph_data / "seed" / "notes.txt").write_text("x", encoding="utf-8")
    names = [fixture_project.relative(f) for f in source_files(fixture_project)]
    assert names == [
        "ontology/test-ontology.ttl",
        "graph_data/extra/bodies.nt",
        "graph_data/seed/stages.ttl",
    ]


def test_every_file_is_its_own_named_graph(fixture_atlas: Atlas) -> None:
    assert graph_counts(fixture_atlas) == GRAPHS
    result = fixture_atlas.query(
        "SELECT ?g WHERE { GRAPH ?g { stage:police-stop pa:stageOrder 1 } }"
    )
    assert result.rows == [{"g": PAG + "graph_data/seed/stages"}]


def test_default_graph_is_the_union_of_the_files(fixture_atlas: Atlas) -> None:
    # the class label is in the ontology file, the instance in the seed file
    result = fixture_atlas.query(
        "SELECT ?label WHERE { stage:arrest a ?c . ?c rdfs:label ?label "
        "FILTER(LANG(?label) = 'es') }"
    )
    assert result.rows == [{"label": "Etapa"}]


def test_stats_counts_graphs_and_classes(fixture_atlas: Atlas) -> None:
    stats = fixture_atlas.stats()
    assert stats == Stats(
        quads=21,
        triples=21,
        graphs=GRAPHS,
        classes={
            "http://www.w3.org/2002/07/owl#Class": 2,
            "https://w3id.org/pipeline-atlas/ont/Stage": 2,
            "http://www.w3.org/2002/07/owl#DatatypeProperty": 1,
            "http://www.w3.org/2002/07/owl#ObjectProperty": 1,
            "https://w3id.org/pipeline-atlas/ont/PublicBody": 1,
        },
    )


def test_malformed_turtle_names_file_line_column(fixture_project: ProjectPaths) -> None:
    add_malformed(fixture_project)
    with pytest.raises(TurtleSyntaxError) as info:
        Atlas.build(reason=False, paths=fixture_project)
    error = info.value
    assert (error.file, error.line, error.column) == ("graph_data/seed/zz-broken.ttl", 2, 11)
    assert str(error) == (
        "graph_data/seed/zz-broken.ttl:2:11: Turtle syntax error: unexpected end of file"
    )


def test_malformed_file_leaves_the_store_unchanged(fixture_project: ProjectPaths) -> None:
    store = EmbeddedStore()
    store.replace_graphs(build_graphs(fixture_project, reason=False))
    before = (store.quads_count(), store.named_graphs())
    bad = add_malformed(fixture_project)
    (fixture_project.graph_data / "seed" / "aa-new.ttl").write_text(
        "<https://e.org/a> <https://e.org/p> 1 .", encoding="utf-8"
    )
    with pytest.raises(TurtleSyntaxError):
        store.replace_graphs(build_graphs(fixture_project, reason=False))
    assert (store.quads_count(), store.named_graphs()) == before
    assert bad.exists()


def test_loading_a_file_again_replaces_its_graph(fixture_project: ProjectPaths) -> None:
    store = EmbeddedStore()
    graphs = parse_files(source_files(fixture_project), root=fixture_project.root)
    store.replace_graphs(graphs)
    store.replace_graphs(graphs)
    assert store.quads_count() == sum(GRAPHS.values())
    assert graph_counts(Atlas(store, paths=fixture_project)) == GRAPHS


def test_an_empty_file_is_an_empty_graph(fixture_project: ProjectPaths) -> None:
    (fixture_project.graph_data / "seed" / "empty.ttl").write_text("", encoding="utf-8")
    atlas = Atlas.build(reason=False, paths=fixture_project)
    assert graph_counts(atlas)[PAG + "graph_data/seed/empty"] == 0


def test_a_project_without_files_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"no \.ttl or \.nt files under"):
        Atlas.build(reason=False, paths=ProjectPaths.at(tmp_path))


def test_persistent_store_can_be_reopened(fixture_project: ProjectPaths, tmp_path: Path) -> None:
    target = tmp_path / "stores" / "atlas"
    built = Atlas.build(store_dir=target, reason=False, paths=fixture_project)
    assert graph_counts(built) == GRAPHS
    built.close()
    reopened = Atlas.open(target, paths=fixture_project)
    assert graph_counts(reopened) == GRAPHS
    assert reopened.query("cq-002", params={"stage": "arrest"}).rows == [
        {"stage": "https://w3id.org/pipeline-atlas/id/stage/arrest", "label": "Arrest"}
    ]


def test_failed_rebuild_keeps_the_old_store(fixture_project: ProjectPaths, tmp_path: Path) -> None:
    target = tmp_path / "stores" / "atlas"
    Atlas.build(store_dir=target, reason=False, paths=fixture_project).close()
    add_malformed(fixture_project)
    with pytest.raises(TurtleSyntaxError):
        Atlas.build(store_dir=target, reason=False, paths=fixture_project)
    assert sorted(p.name for p in target.parent.iterdir()) == ["atlas"]
    assert graph_counts(Atlas.open(target, paths=fixture_project)) == GRAPHS


def test_failed_reasoner_keeps_the_old_store(
    fixture_project: ProjectPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "atlas"
    Atlas.build(store_dir=target, reason=False, paths=fixture_project).close()
    # a real failure of the reasoner: no Java on the PATH
    monkeypatch.setenv("PATH", str(tmp_path / "no-java-here"))
    with pytest.raises(ReasonerError, match="java"):
        Atlas.build(store_dir=target, reason=True, paths=fixture_project)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas", "project"]
    assert INFERRED_GRAPH not in graph_counts(Atlas.open(target, paths=fixture_project))


def test_open_without_a_store_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        Atlas.open(tmp_path / "nowhere")
    assert str(info.value) == f"no store at {tmp_path / 'nowhere'}"
    assert not (tmp_path / "nowhere").exists()


def test_max_rows_limits_results(fixture_atlas: Atlas) -> None:
    with pytest.raises(QueryLimitError) as info:
        fixture_atlas.query("SELECT * WHERE { ?s ?p ?o }", max_rows=20)
    assert str(info.value) == (
        "<query>: more than 20 result rows; add a LIMIT to the query or raise max_rows"
    )
    assert len(fixture_atlas.query("SELECT * WHERE { ?s ?p ?o }", max_rows=21)) == 21
    assert len(fixture_atlas.query("SELECT * WHERE { ?s ?p ?o }", max_rows=None)) == 21


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    ],
)
def test_every_backend_refuses_service_and_updates_before_sending(text: str) -> None:
    # the in-process store runs catalogue text only, but refuses these whoever wrote the text
    for store in (EmbeddedStore(), RemoteStore("http://127.0.0.1:9/query")):
        with pytest.raises(ForbiddenQueryError):
            store.query(text)
