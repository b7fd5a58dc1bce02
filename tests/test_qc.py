"""The quality-check queries (queries/qc/*.rq): none fires on the real graph, and each fires on a
small graph made to break it, so that none can pass vacuously."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pyoxigraph as ox
import pytest

from pipeline_atlas.atlas import Atlas
from pipeline_atlas.build.load import parse_files, parse_text, source_files
from pipeline_atlas.catalogue import CatalogueQuery, load_catalogue
from pipeline_atlas.namespaces import shorten
from pipeline_atlas.paths import project_paths
from pipeline_atlas.store import EmbeddedStore

PATHS = project_paths()
QC = [q for q in load_catalogue(PATHS.queries, root=PATHS.root) if q.group == "qc"]
BY_ID = {q.id: q for q in QC}

PREFIXES = """
@prefix pa: <https://w3id.org/pipeline-atlas/ont/> .
@prefix paid: <https://w3id.org/pipeline-atlas/id/> .
@prefix stage: <https://w3id.org/pipeline-atlas/id/stage/> .
@prefix body: <https://w3id.org/pipeline-atlas/id/body/> .
@prefix action: <https://w3id.org/pipeline-atlas/id/action/> .
@prefix passage: <https://w3id.org/pipeline-atlas/id/passage/> .
@prefix source: <https://w3id.org/pipeline-atlas/id/source/> .
@prefix instrument: <https://w3id.org/pipeline-atlas/id/instrument/> .
@prefix jurisdiction: <https://w3id.org/pipeline-atlas/id/jurisdiction/> .
@prefix geometry: <https://w3id.org/pipeline-atlas/id/geometry/> .
@prefix vocab: <https://w3id.org/pipeline-atlas/id/vocab/> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""

GRAPH = "https://w3id.org/pipeline-atlas/graph/"
TEST_GRAPH = "test/bad"
CALIFORNIA_GRAPH = "graph_data/california/test"


class Bad(NamedTuple):
    """A small graph that a check must catch: ``focus`` is the node it must name, ``graph`` the
    named graph (relative to ``pag:``) the Turtle is loaded into."""

    turtle: str
    focus: str
    graph: str = TEST_GRAPH


# One or more small graphs per check that the check must catch (one per rule the check makes).
# Each graph is loaded together with the ontology (so that pa: terms are declared) and nothing else.
BAD: dict[str, tuple[str, str] | list[Bad]] = {
    "term-label-violation": (
        """pa:Unlabelled a owl:Class ; rdfs:label "Sin etiqueta"@es ;
               skos:definition "A class without an English label."@en ;
               rdfs:isDefinedBy <https://w3id.org/pipeline-atlas/ont/> .""",
        "pa:Unlabelled",
    ),
    "term-spanish-label-violation": (
        """pa:englishOnly a owl:ObjectProperty ; rdfs:label "english only"@en ;
               skos:definition "A property without a Spanish label."@en ;
               rdfs:isDefinedBy <https://w3id.org/pipeline-atlas/ont/> .""",
        "pa:englishOnly",
    ),
    "term-definition-violation": (
        """pa:undefined a owl:DatatypeProperty ;
               rdfs:label "undefined"@en , "sin definición"@es ;
               rdfs:isDefinedBy <https://w3id.org/pipeline-atlas/ont/> .""",
        "pa:undefined",
    ),
    "term-defined-by-violation": (
        """pa:Orphan a owl:Class ; rdfs:label "Orphan"@en , "Huérfano"@es ;
               skos:definition "A class that does not say where it is defined."@en .""",
        "pa:Orphan",
    ),
    "instance-label-violation": (
        """stage:unnamed a pa:Stage ; rdfs:label "Unnamed stage"@en ;
               pa:stageOrder 1 ; prov:wasDerivedFrom passage:p1 .
           passage:p1 a pa:SourcePassage .""",
        "stage:unnamed",
    ),
    "unsourced-node-violation": (
        """body:nowhere a pa:GovernmentAgency ;
               rdfs:label "Agency from nowhere"@en , "Agencia de ninguna parte"@es .""",
        "body:nowhere",
    ),
    "background-fact-source-violation": [
        Bad(
            """instrument:uncited a pa:LegalInstrument ;
                   rdfs:label "Uncited statute"@en , "Ley sin cita"@es .""",
            "instrument:uncited",
        ),
        # a node that the California data says something about, with no source
        Bad(
            """jurisdiction:nowhere a pa:City ;
                   rdfs:label "Nowhere"@en , "Ninguna parte"@es ;
                   pa:censusPopulation2020 12 ;
                   prov:wasDerivedFrom passage:p1 .
               passage:p1 a pa:SourcePassage .""",
            "jurisdiction:nowhere",
            CALIFORNIA_GRAPH,
        ),
        # a time-sensitive fact with no source
        Bad(
            """body:dated a pa:GovernmentAgency ;
                   rdfs:label "Dated agency"@en , "Agencia fechada"@es ;
                   pa:asOf "2025"^^xsd:gYear ;
                   prov:wasDerivedFrom passage:p1 .
               passage:p1 a pa:SourcePassage .""",
            "body:dated",
        ),
        Bad(
            """body:blank a pa:GovernmentAgency ; dcterms:source "  " .""",
            "body:blank",
        ),
    ],
    # A graph with one county or one city is not California: the counts fire on a tiny graph, and
    # test_count_checks_fire_when_one_place_is_missing runs them on the real graph minus one place.
    "county-count-violation": (
        """jurisdiction:lonely-county a pa:County ; dcterms:source "a test" .""",
        "jurisdiction:california",
    ),
    "city-count-violation": (
        """jurisdiction:lonely-city a pa:City ; dcterms:source "a test" .""",
        "jurisdiction:california",
    ),
    "county-geometry-violation": [
        Bad(
            """jurisdiction:unmapped-county a pa:County ; dcterms:source "a test" .""",
            "jurisdiction:unmapped-county",
        ),
        Bad(
            """jurisdiction:twice-mapped-county a pa:County ; dcterms:source "a test" ;
                   geo:hasGeometry geometry:one , geometry:two .
               geometry:one geo:asWKT "POLYGON((0 0, 1 0, 1 1, 0 0))"^^geo:wktLiteral .
               geometry:two geo:asWKT "POLYGON((0 0, 2 0, 2 2, 0 0))"^^geo:wktLiteral .""",
            "jurisdiction:twice-mapped-county",
        ),
        Bad(
            """jurisdiction:badly-mapped-county a pa:County ; dcterms:source "a test" ;
                   geo:hasGeometry geometry:text .
               geometry:text geo:asWKT "POLYGON((0 0, 1 0, 1 1, 0 0))" .""",
            "jurisdiction:badly-mapped-county",
        ),
    ],
    "city-county-violation": [
        Bad(
            """jurisdiction:floating-city a pa:City ; dcterms:source "a test" .""",
            "jurisdiction:floating-city",
        ),
        Bad(
            """jurisdiction:split-city a pa:City ; dcterms:source "a test" ;
                   pa:inCounty jurisdiction:county-a , jurisdiction:county-b .
               jurisdiction:county-a a pa:County ; dcterms:source "a test" .
               jurisdiction:county-b a pa:County ; dcterms:source "a test" .""",
            "jurisdiction:split-city",
        ),
        Bad(
            """jurisdiction:city-in-a-city a pa:City ; dcterms:source "a test" ;
                   pa:inCounty jurisdiction:other-city .
               jurisdiction:other-city a pa:City ; dcterms:source "a test" ;
                   pa:inCounty jurisdiction:county-a .
               jurisdiction:county-a a pa:County ; dcterms:source "a test" .""",
            "jurisdiction:city-in-a-city",
        ),
        Bad(
            """jurisdiction:pretend-consolidated a pa:City ; dcterms:source "a test" ;
                   pa:inCounty jurisdiction:county-a ;
                   pa:hasMunicipalType vocab:municipal-type-city-and-county .
               jurisdiction:county-a a pa:County ; dcterms:source "a test" .""",
            "jurisdiction:pretend-consolidated",
        ),
    ],
    "stage-order-violation": (
        """stage:unordered a pa:Stage ;
               rdfs:label "Unordered"@en , "Sin orden"@es ;
               prov:wasDerivedFrom passage:p1 .
           passage:p1 a pa:SourcePassage .""",
        "stage:unordered",
    ),
    "action-stage-target-violation": (
        """action:adrift a pa:Action ; rdfs:label "Adrift"@en , "A la deriva"@es ;
               pa:atStage stage:s1 ; prov:wasDerivedFrom passage:p1 .
           passage:p1 a pa:SourcePassage .""",
        "action:adrift",
    ),
    "derivation-target-violation": (
        """stage:s1 a pa:Stage ; rdfs:label "Stage"@en , "Etapa"@es ; pa:stageOrder 1 ;
               prov:wasDerivedFrom source:a-whole-document .
           source:a-whole-document a pa:SourceDocument .""",
        "stage:s1",
    ),
    "definition-period-violation": (
        """stage:s1 a pa:Stage ; rdfs:label "Stage"@en , "Etapa"@es ; pa:stageOrder 1 ;
               skos:definition "A stage whose definition stops short"@en ;
               prov:wasDerivedFrom passage:p1 .
           passage:p1 a pa:SourcePassage .""",
        "stage:s1",
    ),
    "undeclared-term-violation": (
        """action:typo a pa:Action ; pa:atstage stage:s1 .""",
        "pa:atstage",
    ),
    "spanish-text-violation": (
        """stage:s1 a pa:Stage ; rdfs:label "Stage"@en , "Etapa"@es ;
               skos:definition "A stage defined in English only."@en .""",
        "stage:s1",
    ),
    "fact-confidence-violation": [
        Bad("""body:unsure a pa:GovernmentAgency ; dcterms:source "a test" .""", "body:unsure"),
        Bad(
            """body:undated a pa:GovernmentAgency ; dcterms:source "a test" ;
                   pa:confidence vocab:confidence-reported .""",
            "body:undated",
        ),
    ],
    # a warning (#+ severity: warning): reported by validate, never a failure
    "stale-fact-warning": [
        Bad(
            """body:stale a pa:GovernmentAgency ; pa:asOf "2023"^^xsd:gYear ;
                   dcterms:source "a test" ; pa:confidence vocab:confidence-reported ;
                   pa:lastChecked "2024-01-01"^^xsd:date .""",
            "body:stale",
        ),
        Bad(
            """body:unchecked a pa:GovernmentAgency ; pa:asOf "2023"^^xsd:gYear ;
                   dcterms:source "a test" .""",
            "body:unchecked",
        ),
    ],
}


def cases(query_id: str) -> list[Bad]:
    bad = BAD[query_id]
    return bad if isinstance(bad, list) else [Bad(*bad)]


CASES = [(q, case) for q in QC for case in cases(q.id)]
CASE_IDS = [f"{q.id}[{i}]" for q in QC for i, _ in enumerate(cases(q.id))]


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.build(reason=False)


def bad_store(turtle: str, *, graph: str = TEST_GRAPH) -> EmbeddedStore:
    store = EmbeddedStore()
    ontology = PATHS.ontology / "pipeline-atlas.ttl"
    store.replace_graphs(parse_files([ontology], root=PATHS.root))
    store.replace_graphs(parse_text(PREFIXES + turtle, graph=GRAPH + graph))
    return store


@pytest.fixture(scope="module")
def real_graphs() -> dict[str, list[ox.Quad]]:
    """The project's files, parsed once (one list of quads per named graph)."""
    return parse_files(source_files(PATHS), root=PATHS.root)


def changed_store(
    graphs: dict[str, list[ox.Quad]],
    *,
    drop: Callable[[ox.Quad], bool] = lambda quad: False,
    extra: str = "",
) -> EmbeddedStore:
    """The real graph without the quads ``drop`` picks, plus ``extra`` Turtle."""
    store = EmbeddedStore()
    store.replace_graphs({g: [q for q in qs if not drop(q)] for g, qs in graphs.items()})
    if extra:
        store.replace_graphs(parse_text(PREFIXES + extra, graph=GRAPH + CALIFORNIA_GRAPH))
    return store


def run(query_id: str, store: EmbeddedStore) -> list[tuple[str, str]]:
    query = BY_ID[query_id]
    result = store.query(query.sparql, source=query.source, max_rows=None)
    return [(shorten(str(row["node"])), str(row["message"])) for row in result.rows]


def test_there_are_quality_checks() -> None:
    assert len(QC) >= 16


def test_every_quality_check_has_a_counter_example() -> None:
    assert set(BY_ID) == set(BAD)


@pytest.mark.parametrize("query", QC, ids=[q.id for q in QC])
def test_quality_check_is_well_formed(query: CatalogueQuery) -> None:
    assert query.id.endswith(f"-{query.severity}")
    assert query.source == f"queries/qc/{query.id}.rq"
    assert query.summary.endswith((".", ")")), query.summary
    assert "qc" in query.tags
    assert query.kind == "select"
    assert not query.params


@pytest.mark.parametrize("query", QC, ids=[q.id for q in QC])
def test_quality_check_passes_on_the_real_graph(atlas: Atlas, query: CatalogueQuery) -> None:
    result = atlas.run(query)
    assert result.variables[:2] == ["node", "message"]
    if query.severity == "warning":
        # a warning depends on today's date (a fact checked today is stale in a year): it is
        # reported by `pipeline-atlas validate`, never a failure, so the real graph may have some
        assert all(row["message"] for row in result.rows), result.to("table")
        return
    assert result.rows == [], result.to("table")


@pytest.mark.parametrize(("query", "case"), CASES, ids=CASE_IDS)
def test_quality_check_fires_on_a_bad_graph(query: CatalogueQuery, case: Bad) -> None:
    result = bad_store(case.turtle, graph=case.graph).query(query.sparql, source=query.source)
    nodes = {shorten(str(row["node"])) for row in result.rows}
    assert case.focus in nodes, result.to("table")
    for row in result.rows:
        assert isinstance(row["message"], str) and row["message"], row


@pytest.mark.parametrize("query", QC, ids=[q.id for q in QC])
def test_quality_check_is_quiet_on_the_ontology_alone(query: CatalogueQuery) -> None:
    result = bad_store("").query(query.sparql, source=query.source)
    assert result.rows == [], result.to("table")


# --- the California checks on the real graph, changed a little --------------------------------

JURISDICTION = "https://w3id.org/pipeline-atlas/id/jurisdiction/"
GEO_HAS_GEOMETRY = "http://www.opengis.net/ont/geosparql#hasGeometry"
DCTERMS_SOURCE = "http://purl.org/dc/terms/source"


def about(node: str) -> Callable[[ox.Quad], bool]:
    """Every quad whose subject or object is ``node``: the node is gone from the graph."""
    iri = ox.NamedNode(JURISDICTION + node)
    return lambda quad: quad.subject == iri or quad.object == iri


@pytest.mark.parametrize(
    ("query_id", "place", "count"),
    [("county-count-violation", "alpine-county", 57), ("city-count-violation", "adelanto", 481)],
)
def test_count_checks_fire_when_one_place_is_missing(
    real_graphs: dict[str, list[ox.Quad]], query_id: str, place: str, count: int
) -> None:
    rows = run(query_id, changed_store(real_graphs, drop=about(place)))
    assert [node for node, _ in rows] == ["jurisdiction:california"]
    assert f"has {count} " in rows[0][1]


@pytest.mark.parametrize(
    ("query_id", "extra", "count"),
    [
        ("county-count-violation", "jurisdiction:extra-county a pa:County .", 59),
        ("city-count-violation", "jurisdiction:extra-city a pa:City .", 483),
    ],
)
def test_count_checks_fire_when_one_place_is_added(
    real_graphs: dict[str, list[ox.Quad]], query_id: str, extra: str, count: int
) -> None:
    rows = run(query_id, changed_store(real_graphs, extra=extra))
    assert [node for node, _ in rows] == ["jurisdiction:california"]
    assert f"has {count} " in rows[0][1]


def test_san_francisco_counts_once_as_a_city_and_once_as_a_county(atlas: Atlas) -> None:
    result = atlas.store.query(
        "PREFIX pa: <https://w3id.org/pipeline-atlas/ont/> "
        "SELECT (COUNT(DISTINCT ?c) AS ?counties) (COUNT(DISTINCT ?t) AS ?cities) "
        "WHERE { { ?c a pa:County } UNION { ?t a pa:City } }"
    )
    assert result.rows == [{"counties": 58, "cities": 482}]
    sf = ox.NamedNode(JURISDICTION + "san-francisco")
    kinds = {str(row["t"]) for row in atlas.store.query(f"SELECT ?t WHERE {{ {sf} a ?t }}").rows}
    assert {
        "https://w3id.org/pipeline-atlas/ont/City",
        "https://w3id.org/pipeline-atlas/ont/County",
    } <= kinds


def test_geometry_check_fires_when_a_county_loses_its_boundary(
    real_graphs: dict[str, list[ox.Quad]],
) -> None:
    county = ox.NamedNode(JURISDICTION + "alpine-county")
    store = changed_store(
        real_graphs,
        drop=lambda q: q.subject == county and q.predicate.value == GEO_HAS_GEOMETRY,
    )
    assert run("county-geometry-violation", store) == [
        (
            "jurisdiction:alpine-county",
            "The county has 0 geo:hasGeometry; it needs exactly one boundary.",
        )
    ]


def test_city_county_check_fires_when_a_county_is_missing(
    real_graphs: dict[str, list[ox.Quad]],
) -> None:
    # Alameda County's cities lose their county when the county node is gone
    county = ox.NamedNode(JURISDICTION + "alameda-county")
    store = changed_store(real_graphs, drop=lambda q: q.subject == county)
    nodes = {node for node, _ in run("city-county-violation", store)}
    assert {"jurisdiction:oakland", "jurisdiction:berkeley", "jurisdiction:alameda"} <= nodes
    assert all(node.startswith("jurisdiction:") for node in nodes)


def test_source_check_covers_the_generated_california_data(
    real_graphs: dict[str, list[ox.Quad]],
) -> None:
    # the check is not vacuous on the real data: a generated city without its source is caught
    city = ox.NamedNode(JURISDICTION + "adelanto")
    store = changed_store(
        real_graphs, drop=lambda q: q.subject == city and q.predicate.value == DCTERMS_SOURCE
    )
    rows = run("background-fact-source-violation", store)
    assert [node for node, _ in rows] == ["jurisdiction:adelanto"]
    assert "graph_data/california/cities" in rows[0][1]
