"""Spanish in the ontology, the vocabularies and the dataset description (issue 7, point 5).

Every @en literal has an @es counterpart with the same subject and predicate, the Spanish follows
../shared/glossary-es.md, and the vocabularies' sourced concepts say how sure they are (point 4).
"""

from collections import defaultdict

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

from pipeline_atlas.paths import project_paths

PA = "https://w3id.org/pipeline-atlas/ont/"
VOCAB = "https://w3id.org/pipeline-atlas/id/vocab/"
PAID = "https://w3id.org/pipeline-atlas/id/"
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")

GLOSSARY = "graph_data/vocab/glossary.ttl"
FILES = (
    "ontology/pipeline-atlas.ttl",
    "graph_data/vocab/vocabularies.ttl",
    "graph_data/vocab/glossary.ttl",
    "graph_data/dataset.ttl",
)


def _graph(rel: str) -> rdflib.Graph:
    return rdflib.Graph().parse(project_paths().root / rel)


@pytest.fixture(scope="module")
def graphs() -> dict[str, rdflib.Graph]:
    return {rel: _graph(rel) for rel in FILES}


def _es(graph: rdflib.Graph, subject: str, predicate: URIRef) -> list[str]:
    return [
        str(o)
        for o in graph.objects(URIRef(subject), predicate)
        if isinstance(o, Literal) and o.language == "es"
    ]


@pytest.mark.parametrize("rel", FILES)
def test_every_english_literal_has_a_spanish_one(graphs, rel) -> None:
    graph = graphs[rel]
    langs: dict[tuple, set] = defaultdict(set)
    counts: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language:
            langs[(s, p)].add(o.language)
            counts[(s, p)][o.language] += 1
    missing = sorted(f"{s} {p}" for (s, p), ls in langs.items() if "en" in ls and "es" not in ls)
    assert missing == [], f"{rel}: @en without @es:\n" + "\n".join(missing)
    uneven = sorted(f"{s} {p}" for (s, p), c in counts.items() if c.get("en", 0) != c.get("es", 0))
    assert uneven == [], f"{rel}: not one @es per @en:\n" + "\n".join(uneven)


@pytest.mark.parametrize(
    ("subject", "predicate", "expected"),
    [
        (
            PA + "DataKind",
            SKOS.definition,
            "Un tipo de información sobre una persona que puede llegar a las autoridades de "
            "control migratorio, como su información personal o su próxima cita de libertad "
            "condicional (*probation*).",
        ),
        (
            PA + "CustodialAgency",
            SKOS.definition,
            "Una agencia gubernamental que mantiene a personas bajo custodia o las supervisa "
            "mientras cumplen una condena, como una celda de detención, un sistema "
            "penitenciario o un Departamento de Libertad Condicional (*probation*).",
        ),
        (
            PA + "Court",
            SKOS.definition,
            "Un organismo público que resuelve casos judiciales, como una Corte Superior o "
            "una corte de inmigración.",
        ),
        (
            PA + "LegislativeBody",
            SKOS.definition,
            "Un organismo público que aprueba leyes u ordenanzas y fija presupuestos, como "
            "un Concejo Municipal, una Junta de Supervisores del Condado, la Legislatura "
            "estatal o el Congreso.",
        ),
        (
            PA + "hasPartFlow",
            SKOS.definition,
            "Relaciona un flujo de información con un flujo más específico que es una de las "
            "formas en que ocurre, como una solicitud de detención de ICE (detainer) dentro "
            "del intercambio de información desde una celda de detención.",
        ),
        (
            PA + "guaranteesRightToCounsel",
            SKOS.definition,
            "Si a una persona en un tipo de procedimiento se le garantiza un abogado, "
            "pagado por el Gobierno (abogado de oficio) si no puede pagarlo.",
        ),
        (
            VOCAB + "instrument-ordinance",
            SKOS.definition,
            "Una ley local aprobada por un Concejo Municipal o por una Junta de Supervisores "
            "del Condado.",
        ),
        (
            PAID + "dataset",
            DCTERMS.description,
            "Las etapas de la cadena del arresto a la deportación en California, los "
            "organismos públicos y los cargos públicos que pueden actuar en cada una, las "
            "acciones que pueden emprender los organizadores y los flujos de información "
            "hacia las autoridades de control migratorio que esas acciones pueden bloquear, "
            "cada uno vinculado al pasaje o a la cita de la que proviene.",
        ),
    ],
)
def test_glossary_terms_in_spanish_definitions(graphs, subject, predicate, expected) -> None:
    found = [t for g in graphs.values() for t in _es(g, subject, predicate)]
    assert found == [expected]


def test_probation_is_never_called_parole_in_spanish(graphs) -> None:
    # The glossary: probation = "libertad condicional (*probation*)", parole = "libertad bajo
    # palabra (*parole*)". The ontology names probation only; no Spanish text may say parole's name
    # for it, and every "libertad condicional" is marked (*probation*).
    texts = [
        str(o)
        for name, g in graphs.items()
        if name != GLOSSARY
        for o in g.objects()
        if isinstance(o, Literal) and o.language == "es"
    ]
    assert not [t for t in texts if "libertad bajo palabra" in t.lower()]
    probation = [t for t in texts if "libertad condicional" in t.lower()]
    assert len(probation) == 2
    assert all("(*probation*)" in t for t in probation)


def test_the_glossary_marks_every_probation_and_parole_in_spanish(graphs) -> None:
    # The glossary explains both, so it names both; each mention says which one it is (issue 9).
    texts = [
        str(o) for o in graphs[GLOSSARY].objects() if isinstance(o, Literal) and o.language == "es"
    ]
    unmarked = [
        t
        for t in texts
        for name, mark in (
            ("libertad condicional", "(probation)"),
            ("libertad bajo palabra", "(parole)"),
        )
        for at in [i for i in range(len(t)) if t.lower().startswith(name, i)]
        if mark not in t[at + len(name) : at + len(name) + 30]  # "… del Condado (probation)"
    ]
    assert not unmarked
    assert any("libertad bajo palabra (parole)" in t for t in texts)
    assert any("libertad condicional (probation)" in t for t in texts)


def test_no_chart_for_graph(graphs) -> None:
    texts = [str(o) for g in graphs.values() for o in g.objects() if isinstance(o, Literal)]
    assert not [t for t in texts if "gráfica" in t]
    assert _es(graphs[FILES[1]], VOCAB + "confidence", SKOS.definition) == [
        "Qué tan seguro está el grafo de un dato de contexto."
    ]


def test_spanish_labels_follow_the_glossary(graphs) -> None:
    onto = graphs[FILES[0]]
    vocab = graphs[FILES[1]]
    assert _es(onto, PA + "PublicBody", RDFS.label) == ["Organismo público"]
    assert _es(onto, PA + "UnincorporatedArea", RDFS.label) == ["Área no incorporada del condado"]
    assert _es(vocab, VOCAB + "instrument-ordinance", RDFS.label) == ["Ordenanza"]
    oversight = VOCAB + "effect-increases-oversight"
    assert _es(vocab, oversight, RDFS.label) == ["Aumenta la supervisión"]


SOURCED = {
    "charter-status-charter": "confidence-verified",
    "charter-status-general-law": "confidence-verified",
    "municipal-type-city": "confidence-verified",
    "municipal-type-town": "confidence-verified",
    "municipal-type-city-and-county": "confidence-reported",
    "form-of-government-council-manager": "confidence-reported",
    "form-of-government-mayor-council": "confidence-reported",
}


def test_every_sourced_concept_says_how_sure_it_is(graphs) -> None:
    vocab = graphs[FILES[1]]
    sourced = {
        str(s).removeprefix(VOCAB) for s in vocab.subjects(DCTERMS.source, None, unique=True)
    }
    assert sourced == set(SOURCED)
    for name, level in SOURCED.items():
        node = URIRef(VOCAB + name)
        assert list(vocab.objects(node, URIRef(PA + "confidence"))) == [URIRef(VOCAB + level)]
        assert list(vocab.objects(node, URIRef(PA + "lastChecked"))) == [
            Literal("2026-12-01", datatype=XSD.date)
        ]
        (source,) = vocab.objects(node, DCTERMS.source)
        assert "read 2026-12-01" in str(source) or "counted 2026-12-01" in str(source)
        assert "https://" in str(source) or "http://" in str(source)


def test_charter_source_names_the_constitution(graphs) -> None:
    (source,) = graphs[FILES[1]].objects(URIRef(VOCAB + "charter-status-charter"), DCTERMS.source)
    assert str(source).startswith("Cal. Const. art. XI, § 3(a), https://law.onecle.com/")


def test_town_note_in_both_languages(graphs) -> None:
    node = VOCAB + "municipal-type-town"
    vocab = graphs[FILES[1]]
    assert _es(vocab, node, SKOS.note) == [
        "En la ley de California, un pueblo (town) es una ciudad con otro nombre: la "
        "sección 34502 del Código de Gobierno permite que el Concejo Municipal cambie "
        "«city» por «town» en el nombre de la ciudad; en el Código de Gobierno, la "
        "palabra «city» incluye al pueblo incorporado (sección 20)."
    ]
