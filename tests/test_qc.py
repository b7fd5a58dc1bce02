"""The quality-check queries (queries/qc/*.rq): none fires on the real graph, and each fires on a
small graph made to break it, so that none can pass vacuously."""

from __future__ import annotations

import pytest

from pipeline_atlas.atlas import Atlas
from pipeline_atlas.namespaces import shorten
from pipeline_atlas.paths import project_paths
from pipeline_atlas.queries import CatalogueQuery, load_catalogue
from pipeline_atlas.store import EmbeddedStore, parse_files

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
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""

# One small graph per check that the check must catch; ``focus`` is the node it must name. Each
# graph is loaded together with the ontology (so that pa: terms are declared) and nothing else.
BAD: dict[str, tuple[str, str]] = {
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
    "background-fact-source-violation": (
        """instrument:uncited a pa:LegalInstrument ;
               rdfs:label "Uncited statute"@en , "Ley sin cita"@es .""",
        "instrument:uncited",
    ),
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
}


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.build(reason=False)


def bad_store(turtle: str) -> EmbeddedStore:
    store = EmbeddedStore()
    ontology = PATHS.ontology / "pipeline-atlas.ttl"
    store.load_graphs(parse_files([ontology], root=PATHS.root))
    store.load_text(PREFIXES + turtle, graph="https://w3id.org/pipeline-atlas/graph/test/bad")
    return store


def test_there_are_quality_checks() -> None:
    assert len(QC) >= 11


def test_every_quality_check_has_a_counter_example() -> None:
    assert set(BY_ID) == set(BAD)


@pytest.mark.parametrize("query", QC, ids=[q.id for q in QC])
def test_quality_check_is_well_formed(query: CatalogueQuery) -> None:
    assert query.id.endswith("-violation")
    assert query.source == f"queries/qc/{query.id}.rq"
    assert query.summary.endswith((".", ")")), query.summary
    assert "qc" in query.tags
    assert query.kind == "select"
    assert not query.params


@pytest.mark.parametrize("query", QC, ids=[q.id for q in QC])
def test_quality_check_passes_on_the_real_graph(atlas: Atlas, query: CatalogueQuery) -> None:
    result = atlas.run(query)
    assert result.variables[:2] == ["node", "message"]
    assert result.rows == [], result.to("table")


@pytest.mark.parametrize("query", QC, ids=[q.id for q in QC])
def test_quality_check_fires_on_a_bad_graph(query: CatalogueQuery) -> None:
    turtle, focus = BAD[query.id]
    result = bad_store(turtle).query(query.sparql, source=query.source)
    nodes = {shorten(str(row["node"])) for row in result.rows}
    assert focus in nodes, result.to("table")
    for row in result.rows:
        assert isinstance(row["message"], str) and row["message"], row


@pytest.mark.parametrize("query", QC, ids=[q.id for q in QC])
def test_quality_check_is_quiet_on_the_ontology_alone(query: CatalogueQuery) -> None:
    result = bad_store("").query(query.sparql, source=query.source)
    assert result.rows == [], result.to("table")
