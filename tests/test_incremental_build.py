"""Incremental SHACL validation (``validate(..., incremental=True)``): only what a changed named
graph can affect is validated again, and the findings are always those of a full validation.

A small project (its own shapes) keeps these tests quick: people in one graph work for
organisations in another (``sh:class`` across graphs) and a person's code is unique (a SPARQL
constraint comparing two nodes).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from pipeline_atlas.build.validate import ValidationReport, validate
from pipeline_atlas.namespaces import PREFIXES
from pipeline_atlas.paths import ProjectPaths

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://e.org/> .
ex:PersonShape a sh:NodeShape ;
    sh:targetClass ex:Person ;
    sh:property ex:PersonShape-name , ex:PersonShape-worksFor , ex:PersonShape-code .
ex:PersonShape-name sh:path ex:name ; sh:minCount 1 .
ex:PersonShape-worksFor sh:path ex:worksFor ; sh:class ex:Org .
ex:PersonShape-code sh:path ex:code ;
    sh:sparql [ a sh:SPARQLConstraint ;
        sh:select '''SELECT $this ?value WHERE {
            $this $PATH ?value . ?other $PATH ?value . FILTER (?other != $this) }''' ] .
"""
G = PREFIXES["pag"] + "graph_data/"
ONTOLOGY = PREFIXES["pag"] + "ontology/o"
PEOPLE, ORGS, MORE = G + "people", G + "orgs", G + "more"


def graphs(**changes: str) -> dict[str, list[ox.Quad]]:
    """The project's graphs as Turtle texts (``people``, ``orgs``, ``more``), some replaced."""
    texts = {
        ONTOLOGY: "ex:Person a owl:Class . ex:Org a owl:Class .",
        PEOPLE: 'ex:ann a ex:Person ; ex:name "Ann" ; ex:worksFor ex:acme ; ex:code "1" .',
        ORGS: "ex:acme a ex:Org .",
        MORE: 'ex:bob a ex:Person ; ex:name "Bob" ; ex:code "2" .',
    }
    texts.update({G + name: text for name, text in changes.items()})
    head = "@prefix ex: <https://e.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> . "
    out = {}
    for name, text in texts.items():
        graph = ox.NamedNode(name)
        out[name] = [
            ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(head + text, format=ox.RdfFormat.TURTLE)
        ]
    return out


@pytest.fixture
def project(tmp_path: Path) -> ProjectPaths:
    (tmp_path / "shapes.ttl").write_text(SHAPES)
    return ProjectPaths.at(tmp_path)


def run(project: ProjectPaths, data: dict[str, list[ox.Quad]], **options: bool) -> ValidationReport:
    return validate(
        data,
        checks=["shacl"],
        shapes=project.root / "shapes.ttl",
        paths=project,
        build_dir=project.root / "build",
        **options,
    )


def focus_of(report: ValidationReport) -> list[tuple[str | None, str | None]]:
    return [(f.focus, f.path) for f in report.findings]


def test_the_first_run_is_a_full_one_and_an_unchanged_rerun_validates_nothing(
    project: ProjectPaths,
) -> None:
    first = run(project, graphs(), incremental=True)
    assert (first.shacl_changed, first.shacl_focus, first.findings) == (None, None, [])
    again = run(project, graphs(), incremental=True)
    assert (again.shacl_changed, again.shacl_focus, again.findings) == ((), 0, [])


def test_a_change_in_one_graph_revalidates_only_its_nodes(project: ProjectPaths) -> None:
    run(project, graphs(), incremental=True)
    report = run(
        project,
        graphs(more='ex:bob a ex:Person ; ex:name "Robert" ; ex:code "2" .'),
        incremental=True,
    )
    assert report.shacl_changed == (MORE,)
    assert report.shacl_focus == 1  # ex:bob: nothing points to him
    assert report.findings == []


def test_a_violation_introduced_in_one_graph_is_found(project: ProjectPaths) -> None:
    run(project, graphs(), incremental=True)
    changed = graphs(more='ex:bob a ex:Person ; ex:code "2" .')
    report = run(project, changed, incremental=True)
    assert focus_of(report) == [("https://e.org/bob", "https://e.org/name")]
    assert report.findings == run(project, changed).findings


def test_a_change_in_another_graph_is_followed_across_graphs(project: ProjectPaths) -> None:
    run(project, graphs(), incremental=True)
    changed = graphs(orgs="ex:acme a ex:Club .")  # ann works for acme, no longer an ex:Org
    report = run(project, changed, incremental=True)
    assert report.shacl_changed == (ORGS,)
    assert focus_of(report) == [("https://e.org/ann", "https://e.org/worksFor")]
    assert report.findings == run(project, changed).findings
    fixed = run(project, graphs(), incremental=True)  # and back: the finding goes
    assert fixed.findings == []


def test_a_value_compared_between_nodes_finds_the_unchanged_node_too(
    project: ProjectPaths,
) -> None:
    run(project, graphs(), incremental=True)
    changed = graphs(more='ex:bob a ex:Person ; ex:name "Bob" ; ex:code "1" .')  # ann's code
    report = run(project, changed, incremental=True)
    assert sorted(f for f, _ in focus_of(report)) == ["https://e.org/ann", "https://e.org/bob"]
    assert report.findings == run(project, changed).findings
    removed = {k: v for k, v in changed.items() if k != MORE}  # a graph removed
    after = run(project, removed, incremental=True)
    assert (after.shacl_changed, after.findings) == ((MORE,), [])


def test_changed_shapes_make_a_full_run(project: ProjectPaths) -> None:
    run(project, graphs(), incremental=True)
    (project.root / "shapes.ttl").write_text(SHAPES + "\n# edited\n")
    assert run(project, graphs(), incremental=True).shacl_changed is None


@pytest.mark.slow
def test_validate_incremental_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reasoner_build_dir: Path
) -> None:
    """`pipeline-atlas validate --incremental` on a copy of the real project: the first run is a
    full one, the second validates nothing again and gives the same answer."""
    import shutil

    from clitools import invoke

    real = Path(__file__).resolve().parents[1]
    for part in ("ontology", "graph_data", "queries"):
        shutil.copytree(real / part, tmp_path / part)
    shutil.copytree(reasoner_build_dir / "reasoner", tmp_path / "build" / "reasoner")
    monkeypatch.setenv("PIPELINE_ATLAS_ROOT", str(tmp_path))
    first = invoke("validate", "--incremental")
    assert first.exit_code == 0, first.output
    assert first.stdout == (
        "SHACL, incremental: a full validation (no earlier run to compare with, or the shapes "
        "or the ontology changed)\nconforms: no findings (shacl, qc, reasoner)\n"
    )
    assert (tmp_path / "build" / "shacl" / "state.json").is_file()
    second = invoke("validate", "--incremental")
    assert second.exit_code == 0, second.output
    assert second.stdout == (
        "SHACL, incremental: 0 nodes validated again for 0 changed named graphs (the others' "
        "findings from the last run)\nconforms: no findings (shacl, qc, reasoner)\n"
    )
