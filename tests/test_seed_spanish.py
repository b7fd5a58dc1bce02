"""The seed graph in Spanish (issue 7, points 3 to 5): every English text in graph_data/seed has a
Spanish counterpart, each source passage keeps its verbatim English quotation and has one unofficial
Spanish translation, the justice-fund action says only what the document says, and every seed node
with background facts records how sure it is and when it was last checked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from pipeline_atlas.paths import project_paths

PATHS = project_paths()
SEED = PATHS.graph_data / "seed"
SEED_TEXT = (SEED / "actions-for-organizers.txt").read_text(encoding="utf-8")
PA = Namespace("https://w3id.org/pipeline-atlas/ont/")
ID = "https://w3id.org/pipeline-atlas/id/"
VOCAB = Namespace(ID + "vocab/")
TTL_FILES = sorted(SEED.glob("*.ttl"))


@pytest.fixture(scope="module")
def seed() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in TTL_FILES:
        g.parse(f)
    return g


def lang_values(g: rdflib.Graph, s: URIRef, p: URIRef, lang: str) -> list[str]:
    return sorted(str(o) for o in g.objects(s, p) if isinstance(o, Literal) and o.language == lang)


def test_seed_files_are_the_six_expected() -> None:
    names = [f.name for f in TTL_FILES]
    assert names == [
        "actions.ttl",
        "bodies.ttl",
        "flows.ttl",
        "legal.ttl",
        "source.ttl",
        "stages.ttl",
    ]


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: p.name)
def test_every_english_text_has_a_spanish_one(path: Path) -> None:
    g = rdflib.Graph().parse(path)
    missing = []
    for s, p, o in g:
        if isinstance(o, Literal) and o.language == "en":
            en = lang_values(g, s, p, "en")
            es = lang_values(g, s, p, "es")
            if len(es) < len(en):
                missing.append((str(s), str(p), str(o)[:60]))
    assert sorted(set(missing)) == []


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: p.name)
def test_definitions_are_one_english_and_one_spanish(path: Path) -> None:
    g = rdflib.Graph().parse(path)
    for s in set(g.subjects(SKOS.definition, None)):
        assert len(lang_values(g, s, SKOS.definition, "en")) == 1, s
        assert len(lang_values(g, s, SKOS.definition, "es")) == 1, s


def test_every_passage_has_one_unofficial_translation_and_stays_verbatim(
    seed: rdflib.Graph,
) -> None:
    passages = sorted(seed.subjects(RDF.type, PA.SourcePassage))
    assert len(passages) == 23
    for p in passages:
        translations = list(seed.objects(p, PA.unofficialTranslation))
        assert len(translations) == 1, p
        (t,) = translations
        assert isinstance(t, Literal) and t.language == "es", p
        assert str(t).strip() and str(t) != str(seed.value(p, PA.quotation)), p
        quote = seed.value(p, PA.quotation)
        assert isinstance(quote, Literal) and quote.language is None, p
        start = int(seed.value(p, PA.startOffset))
        end = int(seed.value(p, PA.endOffset))
        assert SEED_TEXT[start:end] == str(quote), p


@pytest.mark.parametrize(
    ("passage", "translation"),
    [
        ("p01", "Acciones para organizadores"),
        (
            "p05",
            "Es importante señalar que estos fondos de justicia pueden asegurar que no haya"
            " barreras para reunir los requisitos y que quienes tengan antecedentes penales"
            " puedan aun así obtener representación legal.",
        ),
        ("p08", "Etapa del «Arresto policial y celda de detención de la policía local»"),
        (
            "p22",
            "Por eso, las personas no tienen garantizadas las mismas protecciones del debido"
            " proceso que en el proceso penal, entre ellas el derecho a un abogado.",
        ),
    ],
)
def test_some_translations_exactly(seed: rdflib.Graph, passage: str, translation: str) -> None:
    assert str(seed.value(URIRef(ID + "passage/" + passage), PA.unofficialTranslation)) == (
        translation
    )


def test_passage_18_uses_the_glossary_terms(seed: rdflib.Graph) -> None:
    t = str(seed.value(URIRef(ID + "passage/p18"), PA.unofficialTranslation))
    assert "Junta de Supervisores del Condado" in t
    assert "Departamento de Libertad Condicional del Condado (*probation*)" in t


def test_the_document_says_its_translations_are_unofficial(seed: rdflib.Graph) -> None:
    doc = URIRef(ID + "source/actions-for-organizers")
    assert (
        "The Spanish translations of the passages are unofficial: the Pipeline Atlas project made"
        " them, not the California Immigrant Policy Center. The English text quoted from the"
        " document is the authoritative text." in lang_values(seed, doc, SKOS.editorialNote, "en")
    )
    assert (
        "Las traducciones al español de los pasajes no son oficiales: las hizo el proyecto Pipeline"
        " Atlas, no el California Immigrant Policy Center. El texto en inglés citado del documento"
        " es el que tiene validez." in lang_values(seed, doc, SKOS.editorialNote, "es")
    )


JUSTICE_FUND = URIRef(ID + "action/city-justice-fund")


def test_justice_fund_says_what_the_document_says(seed: rdflib.Graph) -> None:
    assert lang_values(seed, JUSTICE_FUND, SKOS.definition, "en") == [
        "The city council helps establish a local justice fund to provide legal representation for"
        " immigrants in the city facing deportation. The source document adds that such justice"
        " funds can ensure that there are no barriers to qualification and that people who may"
        " have criminal histories can still get legal representation."
    ]
    assert lang_values(seed, JUSTICE_FUND, SKOS.definition, "es") == [
        "El Concejo Municipal ayuda a crear un fondo de justicia local para dar representación"
        " legal a los inmigrantes de la ciudad que enfrentan la deportación. El documento fuente"
        " añade que estos fondos de justicia pueden asegurar que no haya barreras para reunir los"
        " requisitos y que las personas que tengan antecedentes penales puedan aun así obtener"
        " representación legal."
    ]
    note_en = lang_values(seed, JUSTICE_FUND, SKOS.scopeNote, "en")
    assert note_en == [
        "The source document says what a justice fund can do, not what every fund does. That this"
        " action does not exclude people with criminal histories describes the fund the document"
        " asks for, not any existing fund: who can get help from a given fund or program is"
        " recorded on that program, with its own eligibility."
    ]
    assert len(lang_values(seed, JUSTICE_FUND, SKOS.scopeNote, "es")) == 1


def test_justice_fund_claims_no_more_than_can(seed: rdflib.Graph) -> None:
    texts = [
        str(o)
        for p in (SKOS.definition, SKOS.scopeNote, SKOS.editorialNote)
        for o in seed.objects(JUSTICE_FUND, p)
    ]
    english = " ".join(t for t in texts if "justice fund" in t)
    assert "can ensure" in english
    for overclaim in ("with no barriers to qualification", "must ensure", "funds ensure"):
        assert overclaim not in english
    assert seed.value(JUSTICE_FUND, PA.excludesPeopleWithCriminalHistories) == Literal(False)


def test_commutation_note_no_longer_says_one_person_at_a_time(seed: rdflib.Graph) -> None:
    action = URIRef(ID + "action/governor-commutation")
    notes = " ".join(str(o) for o in seed.objects(action, SKOS.scopeNote))
    assert "one person at a time" not in notes
    assert "4 judges concurring" in notes


def sourced_nodes(g: rdflib.Graph) -> list[URIRef]:
    return sorted({s for s in g.subjects(DCTERMS.source, None) if isinstance(s, URIRef)})


def test_the_sourced_seed_nodes_are_the_expected_ones(seed: rdflib.Graph) -> None:
    assert [str(s).removeprefix(ID) for s in sourced_nodes(seed)] == [
        "action/federal-universal-representation",
        "action/governor-commutation",
        "body/us-congress",
        "instrument/ca-const-art-v-sec-8",
        "instrument/ca-penal-code-5025",
        "proceeding/immigration-proceedings",
        "source/actions-for-organizers",
        "source/arrest-to-deportation-pipeline",
        "vocab/data-kind/prison-custody-information",
    ]


def test_every_sourced_seed_node_has_confidence_and_last_checked(seed: rdflib.Graph) -> None:
    levels = {VOCAB["confidence-verified"], VOCAB["confidence-reported"]}
    for s in sourced_nodes(seed):
        confidences = list(seed.objects(s, PA.confidence))
        assert len(confidences) == 1 and confidences[0] in levels, s
        checked = list(seed.objects(s, PA.lastChecked))
        assert len(checked) == 1, s
        assert checked[0].toPython() == date(2026, 12, 1), s


@pytest.mark.parametrize(
    ("node", "level"),
    [
        ("action/federal-universal-representation", "confidence-verified"),
        ("action/governor-commutation", "confidence-verified"),
        ("body/us-congress", "confidence-reported"),
        ("instrument/ca-const-art-v-sec-8", "confidence-verified"),
        ("instrument/ca-penal-code-5025", "confidence-verified"),
        ("proceeding/immigration-proceedings", "confidence-reported"),
        ("source/actions-for-organizers", "confidence-verified"),
        ("source/arrest-to-deportation-pipeline", "confidence-verified"),
        ("vocab/data-kind/prison-custody-information", "confidence-reported"),
    ],
)
def test_confidence_of_each_sourced_node(seed: rdflib.Graph, node: str, level: str) -> None:
    assert seed.value(URIRef(ID + node), PA.confidence) == VOCAB[level]


def test_reported_nodes_say_which_fact_is_weaker(seed: rdflib.Graph) -> None:
    for s in sourced_nodes(seed):
        if seed.value(s, PA.confidence) == VOCAB["confidence-reported"]:
            notes = lang_values(seed, s, SKOS.note, "en")
            assert any(n.startswith("Confidence:") for n in notes), s
            notes_es = lang_values(seed, s, SKOS.note, "es")
            assert any(n.startswith("Grado de certeza:") for n in notes_es), s


def test_sourced_nodes_name_what_was_read_today(seed: rdflib.Graph) -> None:
    for s in sourced_nodes(seed):
        sources = " ".join(str(o) for o in seed.objects(s, DCTERMS.source))
        assert "2026-12-01" in sources and "http" in sources, s


def test_spanish_texts_use_the_glossary(seed: rdflib.Graph) -> None:
    es = " ".join(
        str(o) for o in seed.objects(None, None) if isinstance(o, Literal) and o.language == "es"
    )
    assert "celda de detención de la policía local" in es
    assert "Junta de Supervisores del Condado" in es
    assert "Concejo Municipal" in es
    assert "abogado pagado por el Gobierno" in es
    assert "libertad condicional (*probation*)" in es
    for wrong in ("Consejo Municipal", "Junta de Supervisores del condado", "calabozo"):
        assert wrong not in es


def test_cq011_gives_one_row_per_passage_with_its_unofficial_translation() -> None:
    from pipeline_atlas import Atlas

    atlas = Atlas.build(reason=False)
    en = atlas.query("cq-011", params={"node": "action:city-justice-fund"}).rows
    es = atlas.query("cq-011", params={"node": "action:city-justice-fund", "lang": "es"}).rows
    assert [r["passage"].rsplit("/", 1)[1] for r in en] == ["p04", "p05", "p06"]
    assert {r["documentTitle"] for r in en} == {"Actions for organizers"}
    assert {r["documentTitle"] for r in es} == {"Acciones para organizadores"}
    assert [r["quotation"] for r in es] == [r["quotation"] for r in en]
    assert es[2]["translation"] == "Ejemplos:"
