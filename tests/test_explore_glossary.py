"""pipeline_atlas.explore.glossary: the glossary in both languages, and links to it in any text."""

from __future__ import annotations

import time

import pytest

from pipeline_atlas import Atlas
from pipeline_atlas.explore.glossary import GlossaryEntry, entry, glossary, link_terms, sort_key

SLUGS = [
    "287g",
    "cdcr",
    "detainer",
    "ice",
    "immdef",
    "justice-fund",
    "notification-request",
    "parole",
    "probation",
    "sb-54",
    "secure-communities",
    "trust-act",
    "truth-act",
    "universal-representation",
]
TERMS_EN = [
    "287(g)",
    "CDCR",
    "detainer",
    "ICE",
    "ImmDef",
    "justice fund",
    "notification request",
    "parole",
    "probation",
    "SB 54",
    "Secure Communities",
    "TRUST Act",
    "TRUTH Act",
    "universal representation",
]
TERMS_ES = [
    "287(g)",
    "CDCR",
    "fondo de justicia",
    "ICE",
    "ImmDef",
    "Ley TRUST",
    "Ley TRUTH",
    "libertad bajo palabra (parole)",
    "libertad condicional (probation)",
    "representación universal",
    "SB 54",
    "Secure Communities",
    "solicitud de detención de ICE (detainer)",
    "solicitud de notificación",
]


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.open_default(rebuild_stale=True)


@pytest.fixture(scope="module")
def english(atlas: Atlas) -> list[GlossaryEntry]:
    return glossary(atlas, lang="en")


@pytest.fixture(scope="module")
def spanish(atlas: Atlas) -> list[GlossaryEntry]:
    return glossary(atlas, lang="es")


def test_every_term_in_english_in_alphabetical_order(english: list[GlossaryEntry]) -> None:
    assert [e.term for e in english] == TERMS_EN
    assert sorted(e.slug for e in english) == SLUGS
    for item in english:
        assert item.definition.endswith("."), item.slug
        assert len(item.definition) > 60, item.slug
        assert item.sources, item.slug
        assert item.confidence in {"Verified", "Reported"}, item.slug
        assert item.last_checked == "2026-12-01", item.slug


def test_every_term_in_spanish_in_spanish_order(spanish: list[GlossaryEntry]) -> None:
    assert [e.term for e in spanish] == TERMS_ES
    assert sorted(e.slug for e in spanish) == SLUGS
    for item in spanish:
        assert item.definition.endswith("."), item.slug
        assert item.confidence in {"Verificado", "Informado"}, item.slug


def test_sb_54(english: list[GlossaryEntry], spanish: list[GlossaryEntry]) -> None:
    en = entry(english, "sb-54")
    es = entry(spanish, "sb-54")
    assert en is not None and es is not None
    assert en.alt_labels == ("California Values Act", "Senate Bill 54")
    assert es.alt_labels == ("Ley de Valores de California", "Proyecto de Ley del Senado 54")
    assert en.definition.startswith("The California Values Act, a state law passed in 2017")
    assert es.definition.startswith("La Ley de Valores de California (California Values Act)")
    assert [(r.label, r.node) for r in en.related] == [
        ("California Values Act (SB 54)", "id/instrument/california-values-act")
    ]
    assert [r.label for r in es.related] == ["Ley de Valores de California (SB 54)"]
    assert "https://www.aclu-sdic.org/en/legislation/california-values-act-sb-54" in en.links
    assert en.confidence == "Reported" and es.confidence == "Informado"


def test_abbreviations_and_related_nodes(english: list[GlossaryEntry]) -> None:
    names = {e.slug: e.alt_labels for e in english}
    assert "Immigration and Customs Enforcement" in names["ice"]
    assert "Immigrant Defenders Law Center" in names["immdef"]
    assert "California Department of Corrections and Rehabilitation" in names["cdcr"]
    related = {e.slug: [r.node for r in e.related] for e in english}
    assert related["ice"] == ["id/body/ice"]
    assert related["cdcr"] == ["id/body/cdcr"]
    assert related["parole"] == ["id/body/board-of-parole-hearings", "id/body/cdcr"]
    probation = entry(english, "probation")
    parole = entry(english, "parole")
    assert probation is not None and parole is not None
    assert "It is not parole" in probation.definition
    assert "It is not probation" in parole.definition


def test_entry_of_an_unknown_slug(english: list[GlossaryEntry]) -> None:
    assert entry(english, "nothing") is None
    assert entry(english, None) is None


def test_link_terms_links_the_first_mention_only(spanish: list[GlossaryEntry]) -> None:
    text = "La SB 54 no cubre al CDCR. La SB 54 sí cubre al sheriff."
    assert link_terms(text, spanish, lang="es") == (
        "La [SB 54](glossary?term=sb-54&lang=es) no cubre al "
        "[CDCR](glossary?term=cdcr&lang=es). La SB 54 sí cubre al sheriff."
    )


def test_link_terms_uses_other_names_and_keeps_the_text(english: list[GlossaryEntry]) -> None:
    text = "Under the California Values Act, Immigration and Customs Enforcement (ICE) ..."
    assert link_terms(text, english, lang="en", page="glossary") == (
        "Under the [California Values Act](glossary?term=sb-54&lang=en), "
        "[Immigration and Customs Enforcement](glossary?term=ice&lang=en) (ICE) ..."
    )


def test_link_terms_matches_abbreviations_as_written_and_whole(
    english: list[GlossaryEntry],
) -> None:
    text = "The police gave notice; Ice and SERVICE and ICEBERG and NICE stay as they are."
    assert link_terms(text, english, lang="en") == text
    assert link_terms("police, ICE's hold", english, lang="en") == (
        "police, [ICE](glossary?term=ice&lang=en)'s hold"
    )


def test_link_terms_leaves_links_urls_and_code_alone(english: list[GlossaryEntry]) -> None:
    text = (
        "[SB 54 text](https://leginfo.legislature.ca.gov/SB54) and https://ice.gov/ICE/detainer "
        "and `ICE` and <a href='x'>ICE</a> then detainer"
    )
    assert link_terms(text, english, lang="en") == (
        "[SB 54 text](https://leginfo.legislature.ca.gov/SB54) and https://ice.gov/ICE/detainer "
        "and `ICE` and <a href='x'>ICE</a> then "
        "[detainer](glossary?term=detainer&lang=en)"
    )
    assert link_terms("<b>ICE</b>", english, lang="en") == (
        "<b>[ICE](glossary?term=ice&lang=en)</b>"
    )


def test_link_terms_handles_parentheses_and_longest_names(english: list[GlossaryEntry]) -> None:
    text = "A 287(g) agreement, then an ICE detainer."
    assert link_terms(text, english, lang="en") == (
        "A [287(g) agreement](glossary?term=287g&lang=en), then an "
        "[ICE detainer](glossary?term=detainer&lang=en)."
    )


def test_link_terms_is_fast(spanish: list[GlossaryEntry]) -> None:
    text = "La SB 54, ICE, el CDCR, la libertad condicional (probation) y un detainer. " * 200
    link_terms(text, spanish, lang="es")
    start = time.perf_counter()
    for _ in range(10):
        link_terms(text, spanish, lang="es")
    assert (time.perf_counter() - start) / 10 < 0.05


def test_sort_key_ignores_accents() -> None:
    assert sorted(["Órgano", "oso", "ñandú", "nube"], key=sort_key) == [
        "nube",
        "ñandú",
        "Órgano",
        "oso",
    ]
