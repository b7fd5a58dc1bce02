"""Safe imports (pipeline_atlas.exchange.imports) and `pipeline-atlas import|merge`.

Every test works on its own copy of a small built store: the fixture project with the real
ontology and shapes (tests/fixtures/project + ontology/*.ttl), built once without the reasoner and
copied. Each refusal is checked by the store's digest (sorted N-Quads, SHA-256) before and after;
expected counts and messages come from the files and the shapes, read here with rdflib and
pyoxigraph, not from what the importer prints.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH

from clitools import invoke
from pipeline_atlas.build import build_store
from pipeline_atlas.errors import TurtleSyntaxError
from pipeline_atlas.exchange.imports import (
    IMPORT_GRAPHS,
    ImportRefused,
    ImportResult,
    import_file,
    import_graph_iri,
    merge_import,
    organization_iri,
    store_digest,
)
from pipeline_atlas.explore.correction import CorrectionReport, ReportError
from pipeline_atlas.namespaces import PREFIXES
from pipeline_atlas.paths import ENV_ROOT, ProjectPaths, project_paths

FIXTURE_PROJECT = Path(__file__).resolve().parent / "fixtures" / "project"
REAL = project_paths()
PA, PROV, DCTERMS = PREFIXES["pa"], PREFIXES["prov"], PREFIXES["dcterms"]
STAGE = PREFIXES["stage"]
ORG = "Oakland Privacy"
RECEIVED = dt.datetime(2026, 12, 1, 18, 30, tzinfo=dt.UTC)

GOOD = """\
@prefix ex: <https://example.org/oakland/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

ex:policy-1 a ex:SurveillancePolicy ;
    rdfs:label "Surveillance technology policy"@en , "Política de tecnología de vigilancia"@es ;
    ex:adoptedBy ex:council .
ex:policy-2 a ex:SurveillancePolicy ;
    rdfs:label "Data sharing policy"@en .
ex:council a ex:Council ; rdfs:label "Oakland City Council"@en .
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with the real ontology and shapes, and its store, built once."""
    root = tmp_path_factory.mktemp("import") / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    for name in ("pipeline-atlas.ttl", "shapes.ttl"):
        shutil.copy(REAL.ontology / name, root / "ontology" / name)
    build_store(ProjectPaths.at(root), store_dir=root / "store", reason=False).close()
    return root


@pytest.fixture
def project(template: Path, tmp_path: Path) -> ProjectPaths:
    """A private copy of the template project and its store (``root/store``)."""
    root = tmp_path / "project"
    shutil.copytree(template, root)
    return ProjectPaths.at(root)


def store_of(paths: ProjectPaths) -> Path:
    return paths.root / "store"


def write(paths: ProjectPaths, name: str, text: str) -> Path:
    file = paths.root.parent / name
    file.write_text(text, encoding="utf-8")
    return file


def graph_quads(store_dir: Path) -> dict[str, set[ox.Quad]]:
    store = ox.Store.read_only(str(store_dir))
    graphs: dict[str, set[ox.Quad]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        assert isinstance(quad.graph_name, ox.NamedNode)
        graphs.setdefault(quad.graph_name.value, set()).add(quad)
    del store
    return graphs


def ask(store_dir: Path, sparql: str) -> bool:
    store = ox.Store.read_only(str(store_dir))
    prefixes = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    answer = store.query(prefixes + sparql)
    assert isinstance(answer, ox.QueryBoolean)
    result = bool(answer)
    del store
    return result


def imported(paths: ProjectPaths, file: Path, **options: Any) -> ImportResult:
    return import_file(
        file, organization=ORG, store_dir=store_of(paths), paths=paths, received=RECEIVED, **options
    )


def refused(paths: ProjectPaths, file: Path, **options: Any) -> ImportRefused:
    before = store_digest(store_of(paths))
    with pytest.raises(ImportRefused) as caught:
        imported(paths, file, **options)
    assert store_digest(store_of(paths)) == before
    return caught.value


# --- accepted ----------------------------------------------------------------------------------


def test_an_accepted_import_adds_the_file_and_who_sent_it_in_its_own_graph(
    project: ProjectPaths,
) -> None:
    file = write(project, "oakland-policies.ttl", GOOD)
    before = graph_quads(store_of(project))
    expected = Graph().parse(data=GOOD, format="turtle")

    result = imported(project, file)

    graph = import_graph_iri("oakland-policies")
    assert result.graph == graph == IMPORT_GRAPHS + "oakland-policies"
    assert result.written
    assert result.triples == len(expected)
    after = graph_quads(store_of(project))
    assert {g: q for g, q in after.items() if g != graph} == before  # nothing else changed
    assert len(after[graph]) == result.triples + result.provenance
    data = {(s.n3(), p.n3(), o.n3()) for s, p, o in expected}  # N-Triples terms
    stored = {(str(q.subject), str(q.predicate), str(q.object)) for q in after[graph]}
    assert data <= stored
    org = organization_iri(ORG)
    assert org == PREFIXES["paid"] + "organization/oakland-privacy"
    assert ask(
        store_of(project),
        f"""ASK {{ GRAPH <{graph}> {{
            <{graph}> a prov:Bundle ; prov:wasAttributedTo <{org}> ;
                prov:generatedAtTime "2026-12-01T18:30:00+00:00"^^xsd:dateTime ;
                dcterms:source "oakland-policies.ttl" ; pa:reviewStatus "pending" .
            <{org}> a prov:Organization , org:Organization ; rdfs:label "{ORG}" .
        }} }}""",
    )
    provenance = stored - data
    assert len(provenance) == result.provenance
    assert {s for s, _, _ in provenance} == {f"<{graph}>", f"<{org}>"}
    # what it says it added: the nodes by class, with labels
    assert {(n.iri.rsplit("/", 1)[-1], n.classes, n.label) for n in result.nodes} == {
        ("policy-1", ("https://example.org/oakland/SurveillancePolicy",),
         "Surveillance technology policy"),
        ("policy-2", ("https://example.org/oakland/SurveillancePolicy",), "Data sharing policy"),
        ("council", ("https://example.org/oakland/Council",), "Oakland City Council"),
    }  # fmt: skip
    text = result.to_text("en")
    assert f"added {len(expected)} triples" in text and graph in text
    assert "Surveillance technology policy" in text


def test_a_dry_run_writes_nothing_and_says_what_it_would_add(project: ProjectPaths) -> None:
    file = write(project, "oakland-policies.ttl", GOOD)
    before = store_digest(store_of(project))
    result = imported(project, file, dry_run=True, lang="es")
    assert store_digest(store_of(project)) == before
    assert not result.written
    assert result.triples == len(Graph().parse(data=GOOD, format="turtle"))
    text = result.to_text("es")
    assert text.startswith(f"se añadirían {result.triples} tripletas")
    assert "Política de tecnología de vigilancia" in text
    assert "prueba: no se escribió nada" in text


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own TriG parser
def test_trig_and_nquads_go_into_the_one_import_graph(project: ProjectPaths) -> None:
    trig = """\
        @prefix ex: <https://example.org/p/> .
        ex:g1 { ex:a ex:p "1" . }
        ex:g2 { ex:b ex:p "2" . ex:a ex:q ex:b . }
        ex:c ex:p "3" .
    """
    expected = Dataset().parse(data=trig, format="trig")
    result = imported(project, write(project, "partner.trig", trig))
    graphs = graph_quads(store_of(project))
    assert result.triples == len(list(expected.quads((None, None, None, None)))) == 4
    assert "https://example.org/p/g1" not in graphs and "https://example.org/p/g2" not in graphs
    assert len(graphs[import_graph_iri("partner")]) == result.triples + result.provenance
    nquads = '<https://example.org/p/d> <https://example.org/p/p> "4" <https://example.org/p/g> .\n'
    result = imported(project, write(project, "more.nq", nquads), graph="more-data")
    assert result.triples == 1 and result.graph == import_graph_iri("more-data")


def test_json_ld_is_imported(project: ProjectPaths) -> None:
    doc = {
        "@context": {"label": "http://www.w3.org/2000/01/rdf-schema#label"},
        "@id": "https://example.org/p/jsonld-node",
        "label": "From JSON-LD",
    }
    result = imported(project, write(project, "partner.jsonld", json.dumps(doc)))
    assert result.triples == 1
    assert result.nodes[0].label == "From JSON-LD"


# --- refusals: the store is unchanged ----------------------------------------------------------


def test_a_malformed_file_is_refused_with_its_line_and_column(project: ProjectPaths) -> None:
    lines = GOOD.splitlines()
    lines[4] = lines[4].replace('"Surveillance', "Surveillance")  # an unquoted literal, line 5
    file = write(project, "broken.ttl", "\n".join(lines) + "\n")
    before = store_digest(store_of(project))
    with pytest.raises(TurtleSyntaxError) as caught:
        imported(project, file)
    assert store_digest(store_of(project)) == before
    assert caught.value.line == 5
    assert caught.value.column is not None and caught.value.column > 1
    assert str(caught.value).startswith(f"{file}:5:{caught.value.column}: Turtle syntax error")


def _shape_message(shape: str, lang: str) -> str:
    shapes = Graph().parse(REAL.ontology / "shapes.ttl", format="turtle")
    found = [
        str(m)
        for m in shapes.objects(URIRef(PREFIXES["pash"] + shape), SH.message)
        if isinstance(m, Literal) and m.language == lang
    ]
    assert len(found) == 1
    return found[0].rstrip(".")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_shacl_violations_are_refused_in_plain_words(project: ProjectPaths, lang: str) -> None:
    stage = f"""\
        @prefix pa: <{PA}> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <{STAGE}detention> a pa:Stage ; rdfs:label "Detention"@en , "Detención"@es .
    """
    error = refused(project, write(project, "stage.ttl", stage), lang=lang)
    assert error.reason == "shacl"
    assert error.iris == (STAGE + "detention",)
    assert _shape_message("StageShape-stageOrder", lang) in str(error)
    assert _shape_message("StageShape-wasDerivedFrom", lang) in str(error)
    assert str(error).startswith("refused:" if lang == "en" else "rechazado:")


def test_a_graph_that_exists_is_a_clash(project: ProjectPaths) -> None:
    file = write(project, "oakland-policies.ttl", GOOD)
    imported(project, file)
    other = write(project, "other.ttl", '<https://example.org/x> <https://example.org/p> "1" .')
    error = refused(project, other, graph="oakland-policies")
    assert error.reason == "clash"
    assert error.iris == (import_graph_iri("oakland-policies"),)
    assert "already has the graph" in str(error)


def test_statements_about_an_existing_node_are_a_clash(project: ProjectPaths) -> None:
    existing = ox.Store.read_only(str(store_of(project)))
    arrest = ox.NamedNode(STAGE + "arrest")
    assert next(iter(existing.quads_for_pattern(arrest, None, None, None)), None) is not None
    del existing
    data = f"""\
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <{STAGE}arrest> rdfs:comment "Our note."@en .
        <{STAGE}police-stop> rdfs:comment "Another."@en .
        <https://example.org/new> rdfs:label "New"@en .
    """
    error = refused(project, write(project, "notes.ttl", data))
    assert error.reason == "clash"
    assert error.iris == (STAGE + "arrest", STAGE + "police-stop")
    assert "2 node(s)" in str(error) and f"<{STAGE}arrest>" in str(error)


@pytest.mark.parametrize(
    "data",
    [
        "<https://example.org/ana> a <http://xmlns.com/foaf/0.1/Person> .",
        "<https://example.org/ana> a <https://schema.org/Person> .",
        '<https://example.org/org> <http://schema.org/email> "someone@example.org" .',
        "<https://example.org/org> <http://www.w3.org/2006/vcard/ns#hasTelephone> <tel:+1555> .",
    ],
    ids=["foaf-person", "schema-person", "email", "telephone"],
)
def test_data_about_a_private_person_is_refused(project: ProjectPaths, data: str) -> None:
    error = refused(project, write(project, "people.ttl", data + "\n"))
    assert error.reason == "person"
    assert "private person" in str(error)


def test_an_organization_is_required_and_a_graph_name_is_a_slug(project: ProjectPaths) -> None:
    file = write(project, "oakland-policies.ttl", GOOD)
    before = store_digest(store_of(project))
    with pytest.raises(ImportRefused, match="organization"):
        import_file(file, organization="  ", store_dir=store_of(project), paths=project)
    with pytest.raises(ImportRefused, match="not a slug"):
        imported(project, file, graph="Bad Name")
    assert store_digest(store_of(project)) == before


# --- correction reports ------------------------------------------------------------------------


def test_a_correction_report_becomes_a_correction_report_node(project: ProjectPaths) -> None:
    report = CorrectionReport(
        node=STAGE + "arrest",
        node_label="Arrest",
        what_is_wrong="The stage is missing the booking step.",
        what_it_should_say="Arrest and booking.",
        source="https://example.org/booking-notice",
        prepared="2026-11-30",
    )
    file = write(project, "correction-arrest.json", report.to_json())
    result = imported(project, file)
    node = PREFIXES["paid"] + "correction/correction-arrest"
    assert [n.iri for n in result.nodes] == [node]
    assert result.nodes[0].classes == ("pa:CorrectionReport",)
    assert ask(
        store_of(project),
        f"""ASK {{ GRAPH <{result.graph}> {{
            <{node}> a pa:CorrectionReport ; pa:correctionOf <{STAGE}arrest> ;
                rdfs:comment "{report.what_is_wrong}" ;
                pa:proposedText "{report.what_it_should_say}" ;
                dcterms:source <{report.source}> ; dcterms:created "2026-11-30"^^xsd:date ;
                rdfs:label "Correction report on Arrest"@en ,
                    "Informe de corrección sobre Arrest"@es .
        }} }}""",
    )


def test_a_bad_correction_report_is_refused_and_nothing_is_written(project: ProjectPaths) -> None:
    before = store_digest(store_of(project))
    with pytest.raises(ReportError, match="line 2 column"):
        imported(project, write(project, "bad.json", '{"format": \n  nope}'))
    report = json.loads(
        CorrectionReport(STAGE + "arrest", "Arrest", "x", "y", "z", "2026-11-30").to_json()
    )
    unknown = CorrectionReport(STAGE + "nowhere", "Nowhere", "x", "y", "z", "2026-11-30")
    with pytest.raises(ImportRefused, match="does not have") as caught:
        imported(project, write(project, "unknown.json", unknown.to_json()))
    assert caught.value.iris == (STAGE + "nowhere",)
    report["email"] = "someone@example.org"
    with pytest.raises(ReportError, match="nothing about the person"):
        imported(project, write(project, "personal.json", json.dumps(report)))
    assert store_digest(store_of(project)) == before


# --- merge and rebuild -------------------------------------------------------------------------


def test_merge_moves_the_import_into_a_partner_file_and_its_graph(project: ProjectPaths) -> None:
    result = imported(project, write(project, "oakland-policies.ttl", GOOD))
    in_import = graph_quads(store_of(project))[result.graph]

    merged = merge_import("oakland-policies", store_dir=store_of(project), paths=project)

    file = project.graph_data / "partners" / "oakland-policies.ttl"
    new_graph = PREFIXES["pag"] + "graph_data/partners/oakland-policies"
    assert merged.file == "graph_data/partners/oakland-policies.ttl"
    assert merged.graph == new_graph
    graphs = graph_quads(store_of(project))
    assert result.graph not in graphs
    written = Graph().parse(file, format="turtle")
    assert len(written) == len(in_import) + 1 == merged.triples  # + dcterms:dateAccepted
    assert len(graphs[new_graph]) == len(written)
    assert ask(
        store_of(project),
        f"""ASK {{ GRAPH <{new_graph}> {{ <{new_graph}> a prov:Bundle ;
            prov:wasAttributedTo <{organization_iri(ORG)}> ; pa:reviewStatus "merged" ;
            dcterms:dateAccepted ?when . }} }}""",
    )
    assert not ask(store_of(project), 'ASK { ?s pa:reviewStatus "pending" }')
    # a rebuild reads the new source file into the same graph
    store = build_store(project, store_dir=store_of(project), reason=False)
    assert new_graph in store.named_graphs()
    store.close()
    assert len(graph_quads(store_of(project))[new_graph]) == len(written)


def test_pending_data_stays_out_of_answers_and_exports_until_merged(project: ProjectPaths) -> None:
    """Issue 10: imported facts stay apart from the verified graph until a maintainer merges
    them: outside the default graph of every query, of exports, pushes and validation."""
    from pipeline_atlas.build.load import graphs_of
    from pipeline_atlas.store.embedded import EmbeddedStore

    result = imported(project, write(project, "oakland-policies.ttl", GOOD))
    policy = "https://example.org/oakland/policy-1"
    anywhere = f"ASK {{ <{policy}> ?p ?o }}"
    named = f"ASK {{ GRAPH <{result.graph}> {{ <{policy}> ?p ?o }} }}"
    store = EmbeddedStore(store_of(project), read_only=True)
    try:
        assert store.query(anywhere).boolean is False  # not in the default graph
        assert store.query(named).boolean is True  # but there, by its graph's name
        assert store.query("ASK { stage:police-stop ?p ?o }", prefixes=PREFIXES).boolean
        assert result.graph not in graphs_of(store)
        assert result.graph in graphs_of(store, pending=True)
    finally:
        store.close()

    merge_import("oakland-policies", store_dir=store_of(project), paths=project)

    store = EmbeddedStore(store_of(project), read_only=True)
    try:
        assert store.query(anywhere).boolean is True  # merged: part of every answer
    finally:
        store.close()


def test_merge_refuses_what_is_not_a_pending_import(project: ProjectPaths) -> None:
    before = store_digest(store_of(project))
    seed = PREFIXES["pag"] + "graph_data/seed/stages"
    for graph, words in ((seed, "not an import graph"), ("nothing-here", "no import graph")):
        with pytest.raises(ImportRefused, match=words):
            merge_import(graph, store_dir=store_of(project), paths=project)
    assert store_digest(store_of(project)) == before
    assert not (project.graph_data / "partners").exists()


def test_a_rebuild_keeps_the_pending_imports(project: ProjectPaths) -> None:
    result = imported(project, write(project, "oakland-policies.ttl", GOOD))
    pending = graph_quads(store_of(project))[result.graph]
    store = build_store(project, store_dir=store_of(project), reason=False)
    assert result.graph in store.named_graphs()
    store.close()
    kept = graph_quads(store_of(project))[result.graph]
    assert {(q.subject, q.predicate, q.object) for q in kept} == {
        (q.subject, q.predicate, q.object) for q in pending
    }


# --- the command line --------------------------------------------------------------------------


@pytest.fixture
def cli_project(project: ProjectPaths, monkeypatch: pytest.MonkeyPatch) -> ProjectPaths:
    monkeypatch.setenv(ENV_ROOT, str(project.root))
    return project


@pytest.mark.parametrize("lang", ["en", "es"])
def test_cli_import_dry_run_import_and_merge(cli_project: ProjectPaths, lang: str) -> None:
    file = write(cli_project, "oakland-policies.ttl", GOOD)
    store = str(store_of(cli_project))
    triples = len(Graph().parse(data=GOOD, format="turtle"))
    before = store_digest(store)
    base = ("--lang", lang, "import", str(file), "--organization", ORG, "--store", store)

    dry = invoke(*base, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert store_digest(store) == before
    would = {"en": f"would add {triples} triples", "es": f"se añadirían {triples} tripletas"}
    assert dry.stdout.startswith(would[lang])

    done = invoke(*base)
    assert done.exit_code == 0, done.output
    added = {"en": f"added {triples} triples", "es": f"se añadieron {triples} tripletas"}
    assert done.stdout.startswith(added[lang])
    writing = {"en": "writing", "es": "escribiendo"}
    assert writing[lang] in done.stderr
    after = store_digest(store)
    assert after != before

    again = invoke(*base)
    assert again.exit_code == 2
    assert again.stderr.startswith("error: refused:" if lang == "en" else "error: rechazado:")
    assert store_digest(store) == after

    merged = invoke("--lang", lang, "merge", "oakland-policies", "--store", store)
    assert merged.exit_code == 0, merged.output
    assert (cli_project.graph_data / "partners" / "oakland-policies.ttl").is_file()
    assert import_graph_iri("oakland-policies") not in graph_quads(store_of(cli_project))


def test_cli_malformed_file_and_missing_store(cli_project: ProjectPaths) -> None:
    store = str(store_of(cli_project))
    before = store_digest(store)
    bad = write(cli_project, "bad.ttl", "<https://example.org/a> <https://example.org/p> .\n")
    result = invoke("import", str(bad), "--organization", ORG, "--store", store)
    assert result.exit_code == 2
    assert f"{bad}:1:" in result.stderr and "Turtle syntax error" in result.stderr
    assert store_digest(store) == before
    missing = cli_project.root / "no-store"
    result = invoke("--lang", "es", "import", str(bad), "--organization", ORG,
                    "--store", str(missing))  # fmt: skip
    assert result.exit_code == 2
    assert f"no hay almacén en {missing}" in result.stderr


def test_a_correction_that_says_nothing_is_wrong_breaks_its_shape(project: ProjectPaths) -> None:
    empty = CorrectionReport(STAGE + "arrest", "Arrest", "", "Arrest and booking.",
                             "https://example.org/notice", "2026-11-30")  # fmt: skip
    error = refused(project, write(project, "empty.json", empty.to_json()))
    assert error.reason == "shacl"
    assert error.iris == (PREFIXES["paid"] + "correction/empty",)
    assert _shape_message("CorrectionReportShape-comment", "en") in str(error)
