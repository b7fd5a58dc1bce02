"""The generated documents of docs/ (issue 8, point 5): the HTML reference per language, the class
diagram, the SPARQL examples; and ``pipeline-atlas describe``.

The committed documents must be what ``pipeline-atlas docs`` writes today (run it and commit when
a test here fails), except the SVG drawing, which depends on the Graphviz version: it must exist
and show every class of the DOT file.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from clitools import invoke
from pipeline_atlas.build.docs import (
    DOT,
    EXAMPLES_MD,
    SVG,
    render_svg,
    sparql_examples,
    stale_docs,
    svg_is_current,
)
from pipeline_atlas.build.reference import Reference
from pipeline_atlas.catalogue import load_catalogue
from pipeline_atlas.paths import ENV_ROOT, ProjectPaths, project_paths

PA = "https://w3id.org/pipeline-atlas/ont/"
PATHS = project_paths()
PAGES = {lang: f"docs/reference/{lang}/index.html" for lang in ("en", "es")}


@pytest.fixture(scope="module")
def reference() -> Reference:
    return Reference.load(PATHS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(PATHS.ontology / "pipeline-atlas.ttl", format="turtle")


def committed(relative: str) -> str:
    return (PATHS.root / relative).read_text(encoding="utf-8")


def ontology_terms(graph: Graph) -> list[URIRef]:
    """Every class and property that the pa: ontology defines (rdfs:isDefinedBy)."""
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return sorted(
        {
            term
            for kind in kinds
            for term in graph.subjects(RDF.type, kind)
            if isinstance(term, URIRef) and (term, RDFS.isDefinedBy, URIRef(PA)) in graph
        }
    )


def texts(graph: Graph, term: URIRef, prop: URIRef, lang: str) -> list[str]:
    return [
        " ".join(str(v).split())
        for v in graph.objects(term, prop)
        if isinstance(v, Literal) and v.language == lang
    ]


# -- current -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_committed_reference_page_is_current(reference: Reference, lang: str) -> None:
    assert committed(PAGES[lang]) == reference.html(lang), "run `pipeline-atlas docs` and commit"


def test_committed_diagram_is_current(reference: Reference) -> None:
    assert committed(DOT) == reference.dot(), "run `pipeline-atlas docs` and commit"


def test_svg_shows_every_class_of_the_diagram(reference: Reference) -> None:
    svg = committed(SVG)
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert svg_is_current(svg, committed(DOT))
    for doc in reference.of_kind("class"):
        assert f"<title>{doc.local}</title>" in svg, doc.curie


@pytest.mark.slow
def test_committed_sparql_examples_are_current() -> None:
    """The answers come from the graph built with the reasoner (Java)."""
    assert committed(EXAMPLES_MD) == sparql_examples(PATHS), "run `pipeline-atlas docs`"


def test_sparql_examples_cover_every_competency_question() -> None:
    text = committed(EXAMPLES_MD)
    queries = [q for q in load_catalogue(PATHS.queries, root=PATHS.root) if q.group == "cq"]
    assert queries
    for q in queries:
        section = text.split(f"\n## {q.id}\n", 1)[1].split("\n## ", 1)[0]
        assert q.question in section
        assert q.body.strip() in section
        assert f"pipeline-atlas query {q.id}" in section
        assert re.search(r"^Answer: \d+ rows?", section, flags=re.MULTILINE), q.id


# -- complete, and one language a page -----------------------------------------------------------


def test_the_ontology_defines_terms_of_every_kind(ontology: Graph) -> None:
    terms = ontology_terms(ontology)
    assert len(terms) > 80
    assert URIRef(PA + "Stage") in terms and URIRef(PA + "blocksFlow") in terms


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_term_is_in_each_reference(ontology: Graph, lang: str) -> None:
    page = committed(PAGES[lang])
    missing = []
    for term in ontology_terms(ontology):
        local = str(term)[len(PA) :]
        (label,) = texts(ontology, term, RDFS.label, lang)
        (definition,) = texts(ontology, term, SKOS.definition, lang)
        anchor = f'id="{local}"'
        if page.count(anchor) != 1:
            missing.append(f"{local}: anchor")
            continue
        article = page.split(anchor, 1)[1].split("</article>", 1)[0]
        for needle in (html.escape(label), html.escape(definition), str(term), f"pa:{local}"):
            if needle not in article:
                missing.append(f"{local}: {needle[:40]}")
    assert missing == []


@pytest.mark.parametrize(("lang", "other"), [("en", "es"), ("es", "en")])
def test_each_page_shows_only_its_own_language(ontology: Graph, lang: str, other: str) -> None:
    page = committed(PAGES[lang])
    assert f'<html lang="{lang}">' in page
    foreign = []
    for term in ontology_terms(ontology):
        for prop in (SKOS.definition, RDFS.comment):
            own = set(texts(ontology, term, prop, lang))
            foreign += [
                text
                for text in texts(ontology, term, prop, other)
                if text not in own and html.escape(text) in page
            ]
        # a heading shows one label ("Stage", never "StageEtapa")
        (label,) = texts(ontology, term, RDFS.label, lang)
        (other_label,) = texts(ontology, term, RDFS.label, other)
        local = str(term)[len(PA) :]
        heading = page.split(f'id="{local}"', 1)[1].split("</h3>", 1)[0]
        assert heading.startswith(f">\n<h3>{html.escape(label)} <code>"), heading
        if other_label != label and other_label not in label:
            assert html.escape(other_label) not in heading.split("<code>", 1)[0], heading
    assert foreign == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pages_are_self_contained_and_link_each_other(lang: str) -> None:
    page = committed(PAGES[lang])
    assert re.findall(r'(?:src|href)="(?:https?:)?//', page) == []
    assert "<link" not in page and "<script" not in page and "@import" not in page
    other = "es" if lang == "en" else "en"
    assert f'href="../{other}/index.html"' in page
    assert 'src="../../diagram.svg"' in page
    anchors = re.findall(r' id="([^"]+)"', page)
    assert len(anchors) == len(set(anchors))
    for target in re.findall(r'href="#([^"]+)"', page):
        assert target in anchors, target


def test_pages_show_examples_from_the_data() -> None:
    en, es = committed(PAGES["en"]), committed(PAGES["es"])
    stage = en.split('id="Stage"', 1)[1].split("</article>", 1)[0]
    assert "Police Stop (stage:police-stop)" in stage
    stage_es = es.split('id="Stage"', 1)[1].split("</article>", 1)[0]
    assert "Parada policial (stage:police-stop)" in stage_es
    gap = es.split('id="remainingGap"', 1)[1].split("</article>", 1)[0]
    assert 'class="examples"' in gap
    # concept schemes from graph_data/vocab, in the page's language
    assert 'id="scheme-government-level"' in en and "Government levels" in en
    assert "Niveles de gobierno" in es and "Niveles de gobierno" not in en


# -- generation and --check ----------------------------------------------------------------------


@pytest.mark.slow
def test_check_finds_stale_documents_and_docs_rewrites_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a copy of the project: current, then a changed page and a missing drawing are stale
    (`docs --check` exits 1 naming them), then `pipeline-atlas docs` makes them current again."""
    root = tmp_path / "project"
    for name in ("ontology", "graph_data", "queries", "docs"):
        shutil.copytree(PATHS.root / name, root / name)
    paths = ProjectPaths.at(root)
    monkeypatch.setenv(ENV_ROOT, str(root))
    assert stale_docs(paths) == []
    result = invoke("docs", "--check")
    assert result.exit_code == 0 and result.stdout == "6 generated documents are current\n"
    page = root / PAGES["es"]
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (root / SVG).unlink()
    assert stale_docs(paths) == [PAGES["es"], SVG]
    result = invoke("--lang", "es", "docs", "--check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {PAGES['es']} está desactualizado: ejecute `pipeline-atlas docs`",
        f"error: {SVG} está desactualizado: ejecute `pipeline-atlas docs`",
    ]
    result = invoke("docs")
    assert result.exit_code == 0
    assert f"wrote {PAGES['es']}" in result.stdout.splitlines()
    if shutil.which("dot") is None:  # the drawing cannot be made here: said, and still stale
        assert "Graphviz `dot` is not installed" in result.stderr
        assert stale_docs(paths) == [SVG]
    else:
        assert f"wrote {SVG}" in result.stdout.splitlines()
        assert stale_docs(paths) == []


def test_render_svg_draws_the_diagram(reference: Reference) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed (the committed drawing stays)")
    svg = render_svg(reference.dot())
    assert svg is not None and svg_is_current(svg, reference.dot())


# -- describe ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pa:Stage", "Stage", PA + "Stage", f"<{PA}Stage>"])
def test_describe_finds_a_term_by_any_name(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_ROOT, str(PATHS.root))
    result = invoke("describe", name)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "pa:Stage: Stage (class)"
    assert f"IRI: {PA}Stage" in lines
    assert any(line.startswith("Definition: A step of the") for line in lines)
    assert "Subclass of: skos:Concept" in lines
    assert "  Police Stop (stage:police-stop)" in lines


def test_describe_in_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_ROOT, str(PATHS.root))
    result = invoke("--lang", "es", "describe", "pa:blocksFlow")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("pa:blocksFlow: ") and "(propiedad de objeto)" in text
    for word in ("Definición:", "Dominio:", "Rango:", "Ejemplos de los datos:"):
        assert word in text
    assert "Definition" not in text and "Examples" not in text


def test_describe_a_property_shows_domain_range_and_chain(reference: Reference) -> None:
    text = reference.describe("pa:canBeBlockedBy", "en")
    assert "Property chain: pa:isBlockedBy ∘ pa:targets" in text
    assert "The reasoner infers them" in text
    text = reference.describe("pa:isBlockedBy", "en")
    assert "The data states it through its inverse, pa:blocksFlow:" in text
    assert "(flow:lockup-personal-information) → " in text
    text = reference.describe("pa:Jurisdiction", "es")
    assert "instancias de sus subclases:" in text and "(jurisdiction:" in text
    text = reference.describe("pa:stageOrder", "en")
    assert "Domain: pa:Stage" in text and "Characteristics: functional" in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_describe_an_unknown_term_is_one_line_with_close_matches(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_ROOT, str(PATHS.root))
    result = invoke("--lang", lang, "describe", "pa:Stag")
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "pa:Stag" in line and "pa:Stage" in line
    assert ("did you mean" in line) == (lang == "en")
    assert ("quiso decir" in line) == (lang == "es")


# -- docs/python.md ------------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
PYTHON_MD = REPO / "docs" / "python.md"


def test_the_python_example_runs_as_a_doctest() -> None:
    import doctest

    failed, attempted = doctest.testfile(
        str(PYTHON_MD), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False
    )
    assert attempted >= 10
    assert failed == 0, "see the doctest report above"


def endpoint_example() -> str:
    """The SPARQLWrapper block of docs/python.md (the ```python block without ``>>>``)."""
    blocks = re.findall(
        r"^```python\n(.*?)^```", PYTHON_MD.read_text(encoding="utf-8"), re.M | re.S
    )
    (block,) = [b for b in blocks if ">>>" not in b]
    return block


@pytest.mark.integration
def test_the_endpoint_example_gives_the_embedded_answer(oxigraph_endpoint: str) -> None:
    """The block runs as written, but for its two configuration lines: the endpoint (a real
    Oxigraph server holding the graph) and its graphs (that server does not answer with the
    union of its named graphs)."""
    from pipeline_atlas import Atlas

    with Atlas.open_endpoint(oxigraph_endpoint) as remote_atlas:
        graphs = remote_atlas.store.named_graphs()
    assert graphs
    code = endpoint_example()
    lines = code.splitlines()
    (endpoint_line,) = [i for i, line in enumerate(lines) if line.startswith("endpoint = ")]
    (graphs_line,) = [i for i, line in enumerate(lines) if line.startswith("default_graphs:")]
    lines[endpoint_line] = f"endpoint = {oxigraph_endpoint!r}"
    lines[graphs_line] = f"default_graphs: list[str] = {graphs!r}"
    namespace: dict[str, object] = {}
    exec(compile("\n".join(lines), str(PYTHON_MD), "exec"), namespace)  # our own doc's code
    remote = namespace["remote"]
    with Atlas.build(reason=False) as atlas:
        expected = atlas.query("cq-001-stages-in-order", params={"lang": "en"}).rows
    got = remote.to_dict("records")  # type: ignore[attr-defined]
    assert [{k: str(v) for k, v in row.items() if v is not None} for row in expected] == [
        {k: v for k, v in row.items() if isinstance(v, str)} for row in got
    ]
