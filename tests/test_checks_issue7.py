"""Issue 7 checks: Spanish in the SHACL shapes and their messages (``validate(lang=...)``),
quality checks that are warnings (``#+ severity: warning``), and three new quality checks:
English text without Spanish, background facts without a confidence level or a last-checked
date, and time-sensitive facts not checked for 12 months (a warning)."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH
from typer.testing import CliRunner

from pipeline_atlas.build import validate as validate_module
from pipeline_atlas.build.load import parse_files, parse_text
from pipeline_atlas.build.validate import Finding, ValidationReport, validate
from pipeline_atlas.catalogue import load_catalogue, parse_query_text
from pipeline_atlas.cli import app
from pipeline_atlas.errors import CatalogueError
from pipeline_atlas.i18n import t
from pipeline_atlas.namespaces import shorten
from pipeline_atlas.paths import project_paths
from pipeline_atlas.store import EmbeddedStore

PATHS = project_paths()
DATA = Path(__file__).resolve().parent / "data"
CHECKS = DATA / "checks"
SHAPES = PATHS.ontology / "shapes.ttl"
GRAPH = "https://w3id.org/pipeline-atlas/graph/"
QC = {q.id: q for q in load_catalogue(PATHS.queries / "qc", root=PATHS.root)}

SPANISH = "spanish-text-violation"
CONFIDENCE = "fact-confidence-violation"
STALE = "stale-fact-warning"


def store_with(*turtle: tuple[str, str]) -> EmbeddedStore:
    """The ontology plus each ``(text, graph)`` Turtle text in its named graph (under ``pag:``)."""
    store = EmbeddedStore()
    store.replace_graphs(parse_files([PATHS.ontology / "pipeline-atlas.ttl"], root=PATHS.root))
    for text, graph in turtle:
        store.replace_graphs(parse_text(text, graph=GRAPH + graph))
    return store


def fixture(name: str) -> str:
    return (CHECKS / name).read_text(encoding="utf-8")


def rows(query_id: str, store: EmbeddedStore) -> list[tuple[str, str]]:
    query = QC[query_id]
    result = store.query(query.sparql, source=query.source, max_rows=None)
    assert result.variables[:2] == ["node", "message"]
    return [(shorten(str(row["node"])), str(row["message"])) for row in result.rows]


def today_utc() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


# --- Spanish in the shapes ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def test_every_english_text_of_the_shapes_has_a_spanish_one(shapes: Graph) -> None:
    english: set[tuple[object, object]] = set()
    spanish: set[tuple[object, object]] = set()
    for s, p, o in shapes:
        if isinstance(o, Literal) and o.language == "en":
            english.add((s, p))
        if isinstance(o, Literal) and o.language == "es":
            spanish.add((s, p))
    assert english - spanish == set()
    messages = {(s, p) for s, p in english if p == SH.message}
    assert len(messages) == 189  # 182, and 7 of the import shapes (issue 10)
    assert (next(iter(shapes.subjects(RDF.type, OWL.Ontology))), DCTERMS.description) in english


def test_each_shape_message_has_one_text_per_language(shapes: Graph) -> None:
    for subject in set(shapes.subjects(SH.message, None)):
        languages = sorted(str(m.language) for m in shapes.objects(subject, SH.message))
        assert languages == ["en", "es"], subject


@pytest.mark.parametrize(
    ("shape", "predicate", "spanish"),
    [
        (
            "StageShape-label",
            SH.message,
            "Una etapa tiene exactamente un rdfs:label en inglés (@en) y uno en español (@es).",
        ),
        ("StageShape", RDFS.label, "Forma de etapa"),
        ("UnincorporatedAreaShape", RDFS.label, "Forma de área no incorporada"),
        (
            "UnincorporatedAreaShape-label",
            SH.message,
            "El área no incorporada de un condado tiene exactamente un rdfs:label en inglés (@en) "
            "y uno en español (@es).",
        ),
    ],
)
def test_a_shape_text_in_spanish(
    shapes: Graph, shape: str, predicate: object, spanish: str
) -> None:
    from rdflib import URIRef

    texts = {
        str(o)
        for o in shapes.objects(
            URIRef("https://w3id.org/pipeline-atlas/shapes/" + shape), predicate
        )
        if isinstance(o, Literal) and o.language == "es"
    }
    assert texts == {spanish}


def _shacl_on(example: Path, lang: str) -> list[Finding]:
    triples = ox.parse(path=str(example), format=ox.RdfFormat.TURTLE)
    focus = sorted({t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)})
    report = validate(extra_files=[example], checks=["shacl"], focus=focus, lang=lang)
    return [f for f in report.findings if f.focus in focus]


def test_validate_gives_the_shacl_message_in_spanish() -> None:
    example = DATA / "invalid" / "StageShape-label.ttl"
    english = _shacl_on(example, "en")
    spanish = _shacl_on(example, "es")
    assert [(f.rule, f.message) for f in english] == [
        (
            "pash:StageShape-label",
            "A stage has exactly one rdfs:label in English (@en) and one in Spanish (@es).",
        )
    ]
    assert [(f.rule, f.message) for f in spanish] == [
        (
            "pash:StageShape-label",
            "Una etapa tiene exactamente un rdfs:label en inglés (@en) y uno en español (@es).",
        )
    ]


def test_a_sparql_shape_explains_itself_in_spanish_too() -> None:
    # pySHACL drops the language of a SPARQL constraint's messages once it fills them in; each
    # still comes out in the language asked for, its reason ({?why}) too ({?whyEs})
    example = DATA / "invalid" / "CountyShape-hasCountySeat.ttl"
    oakland = "https://w3id.org/pipeline-atlas/id/jurisdiction/oakland"
    for lang, expected in [
        ("es", f"La sede del condado {oakland} no está en el condado (pa:inCounty)."),
        ("en", f"The county seat {oakland} does not lie in the county (pa:inCounty)."),
    ]:
        found = [f for f in _shacl_on(example, lang) if f.rule == "pash:CountyShape-hasCountySeat"]
        assert [f.message for f in found] == [expected]


def test_validate_refuses_an_unknown_language() -> None:
    from pipeline_atlas.errors import AtlasError

    with pytest.raises(AtlasError, match="unknown language 'fr'"):
        validate(checks=["qc"], lang="fr")


# --- severity: warnings -------------------------------------------------------------------------


def test_the_severity_header_is_read() -> None:
    assert QC[STALE].severity == "warning"
    assert QC[SPANISH].severity == "violation"
    assert QC[CONFIDENCE].severity == "violation"
    assert "severity" not in QC[STALE].header
    text = "#+ summary: A check.\n#+ tags: [qc]\nSELECT ?node ?message WHERE {}\n"
    assert parse_query_text(text, id="x-violation").severity == "violation"


@pytest.mark.parametrize("value", ["fatal", "[warning]", "1"])
def test_a_bad_severity_is_a_clear_error_with_file_and_line(value: str) -> None:
    text = (
        f"#+ summary: A check.\n#+ tags: [qc]\n#+ severity: {value}\n"
        "SELECT ?node ?message WHERE {}\n"
    )
    with pytest.raises(CatalogueError) as error:
        parse_query_text(text, id="x-warning", source="queries/qc/x-warning.rq")
    assert error.value.file == "queries/qc/x-warning.rq"
    assert error.value.line == 3
    assert "`severity` must be violation or warning" in str(error.value)


def _warning(message: str = "Not checked since 2024.") -> Finding:
    return Finding(
        "qc", STALE, "https://w3id.org/pipeline-atlas/id/body/x", message, severity="warning"
    )


def test_warnings_do_not_fail_and_are_counted_apart() -> None:
    violation = Finding("qc", SPANISH, None, "No Spanish.")
    only_warnings = ValidationReport([_warning(), _warning("Again.")], checks=("qc",))
    assert only_warnings.conforms
    only_warnings.raise_if_not_conforming()
    assert only_warnings.to_text().splitlines() == [
        "qc  stale-fact-warning  body:x  warning: Not checked since 2024.",
        "qc  stale-fact-warning  body:x  warning: Again.",
        "conforms: 2 warnings (qc: 2)",
    ]
    both = ValidationReport([violation, _warning()])
    assert not both.conforms
    assert both.violations == [violation] and both.warnings == [_warning()]
    assert both.to_text().splitlines() == [
        "qc  spanish-text-violation  -       No Spanish.",
        "qc  stale-fact-warning      body:x  warning: Not checked since 2024.",
        "1 finding (qc: 1), 1 warning (qc: 1)",
    ]
    assert both.to_text(lang="es").splitlines()[-1] == "1 hallazgo (qc: 1), 1 advertencia (qc: 1)"
    assert ValidationReport([], checks=("qc",), lang="es").to_text() == (
        "conforme: ningún hallazgo (qc)"
    )


def test_a_warning_check_gives_warnings_in_validate(tmp_path: Path) -> None:
    qc_dir = tmp_path / "queries" / "qc"
    qc_dir.mkdir(parents=True)
    shutil.copy(PATHS.queries / "qc" / f"{STALE}.rq", qc_dir)
    report = validate(CHECKS / "stale-fact.ttl", checks=["qc"], qc_dir=qc_dir)
    assert report.conforms
    assert [(f.rule, shorten(f.focus or ""), f.severity) for f in report.findings] == [
        (STALE, "body:dated-agency", "warning")
    ]


runner = CliRunner()


def test_the_cli_exits_0_with_only_warnings_and_prints_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    def fake(source: object, *, lang: str = "en", incremental: bool = False) -> ValidationReport:
        calls.append(lang)
        return ValidationReport([_warning()], checks=("qc",), lang=lang)

    monkeypatch.setattr(validate_module, "validate", fake)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "qc  stale-fact-warning  body:x  warning: Not checked since 2024.",
        "conforms: 1 warning (qc: 1)",
    ]
    result = runner.invoke(app, ["--lang", "es", "validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "qc  stale-fact-warning  body:x  advertencia: Not checked since 2024.",
        "conforme: 1 advertencia (qc: 1)",
    ]
    assert calls == ["en", "es"]


def test_the_cli_exits_1_with_a_violation_beside_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(source: object, *, lang: str = "en", incremental: bool = False) -> ValidationReport:
        return ValidationReport([Finding("qc", SPANISH, None, "No Spanish."), _warning()])

    monkeypatch.setattr(validate_module, "validate", fake)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "1 finding (qc: 1), 1 warning (qc: 1)"


def test_the_report_words_are_in_the_catalogue_in_both_languages() -> None:
    assert t("cli.validate.warning_mark", "es", message="x") == "advertencia: x"
    assert t("cli.validate.finding_many", "es", n=2, detail="qc: 2") == "2 hallazgos (qc: 2)"


# --- spanish-text-violation --------------------------------------------------------------------

SPANISH_MESSAGE = (
    "The node has {} in English (@en) but not in Spanish (@es); add the Spanish text "
    "(see the Spanish glossary)."
)


def test_spanish_check_fires_on_english_only_texts() -> None:
    store = store_with((fixture("spanish-text.bad.ttl"), "test/spanish"))
    assert rows(SPANISH, store) == [
        ("instrument:english-only", SPANISH_MESSAGE.format("pa:forbids")),
        ("stage:half-translated", SPANISH_MESSAGE.format("skos:definition")),
    ]


def test_spanish_check_is_silent_when_every_text_is_translated() -> None:
    assert rows(SPANISH, store_with((fixture("spanish-text.good.ttl"), "test/spanish"))) == []


def test_spanish_check_finds_the_spanish_in_another_graph() -> None:
    prefixes = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    node = "<https://w3id.org/pipeline-atlas/id/stage/s>"
    store = store_with(
        (f'{prefixes}{node} skos:note "A note."@en .', "test/english"),
        (f'{prefixes}{node} skos:note "Una nota."@es .', "test/spanish"),
    )
    assert rows(SPANISH, store) == []


def test_spanish_check_names_an_unknown_predicate_in_full() -> None:
    store = store_with(('<https://e.org/n> <https://e.org/p> "Text"@en .', "test/other"))
    assert rows(SPANISH, store) == [
        ("https://e.org/n", SPANISH_MESSAGE.format("<https://e.org/p>"))
    ]


def test_spanish_check_skips_the_shapes_graph() -> None:
    text = '<https://e.org/n> <http://www.w3.org/ns/shacl#message> "Only English."@en .'
    assert rows(SPANISH, store_with((text, "ontology/shapes"))) == []


# --- fact-confidence-violation -----------------------------------------------------------------

CONFIDENCE_MESSAGE = (
    "The node has background facts (dcterms:source) but {}; say how sure they are "
    "(vocab:confidence-verified, -reported or -general-knowledge) and the date they were last "
    "checked."
)


def test_confidence_check_fires_on_facts_without_confidence_or_date() -> None:
    store = store_with((fixture("fact-confidence.bad.ttl"), "graph_data/test/facts"))
    assert rows(CONFIDENCE, store) == [
        ("body:undated", CONFIDENCE_MESSAGE.format("no pa:lastChecked")),
        ("body:unrated", CONFIDENCE_MESSAGE.format("no pa:confidence")),
        ("body:unsure", CONFIDENCE_MESSAGE.format("no pa:confidence and no pa:lastChecked")),
    ]


def test_confidence_check_is_silent_when_every_fact_is_rated_and_dated() -> None:
    store = store_with((fixture("fact-confidence.good.ttl"), "graph_data/test/facts"))
    assert rows(CONFIDENCE, store) == []


def test_confidence_check_skips_the_ontology_graphs() -> None:
    text = (
        "<https://w3id.org/pipeline-atlas/ont/Thing> <http://purl.org/dc/terms/source> "
        '"a citation" .'
    )
    assert rows(CONFIDENCE, store_with((text, "ontology/pipeline-atlas-extra"))) == []


# --- stale-fact-warning ------------------------------------------------------------------------


def stale_store(last_checked: str) -> EmbeddedStore:
    text = fixture("stale-fact.ttl").replace('"2024-01-01"', f'"{last_checked}"')
    return store_with((text, "graph_data/test/stale"))


def test_stale_check_warns_on_a_fact_checked_in_2024() -> None:
    assert rows(STALE, stale_store("2024-01-01")) == [
        (
            "body:dated-agency",
            "The time-sensitive fact (pa:asOf 2023) was last checked on 2024-01-01, more than 12 "
            "months ago; check it again against its source and update pa:lastChecked.",
        )
    ]


def test_stale_check_is_silent_on_a_fact_checked_today() -> None:
    assert rows(STALE, stale_store(datetime.date.today().isoformat())) == []


@pytest.mark.parametrize(("days", "stale"), [(365, False), (366, True), (30, False)])
def test_stale_check_draws_the_line_at_365_days(days: int, stale: bool) -> None:
    checked = (today_utc() - datetime.timedelta(days=days)).isoformat()
    found = rows(STALE, stale_store(checked))
    assert [node for node, _ in found] == (["body:dated-agency"] if stale else [])


def test_stale_check_warns_on_a_fact_never_checked() -> None:
    text = (
        "@prefix pa: <https://w3id.org/pipeline-atlas/ont/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<https://w3id.org/pipeline-atlas/id/body/dated-agency> pa:asOf "
        '"2023"^^xsd:gYear ; <http://purl.org/dc/terms/source> "a test" .'
    )
    store = store_with((text, "graph_data/test/stale"))
    assert rows(STALE, store) == [
        (
            "body:dated-agency",
            "The time-sensitive fact (pa:asOf 2023) has no pa:lastChecked date; check it again "
            "against its source and update pa:lastChecked.",
        )
    ]
