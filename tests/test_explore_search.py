"""Find your place (pipeline_atlas.explore.search): exact rankings for the county seats, accents,
"Saint"/"St.", typos, unincorporated communities, bodies, laws and stages, in English and Spanish,
and a text that never reaches a query."""

from __future__ import annotations

import pickle
import time

import pytest

from pipeline_atlas import Atlas, ParameterError
from pipeline_atlas.explore import search as s
from pipeline_atlas.explore.search import Hit, arrival_note, best, index, normalize, results, search

ID = "https://w3id.org/pipeline-atlas/id/"
LA_UNINCORPORATED = "los-angeles-county-unincorporated"

EAST_LA_NOTE_EN = (
    "East Los Angeles is not a city: it is in Los Angeles County's unincorporated area, governed "
    "by the county's Board of Supervisors."
)
EAST_LA_NOTE_ES = (
    "Este de Los Ángeles no es una ciudad: está en el área no incorporada del Condado de Los "
    "Ángeles, gobernada por la Junta de Supervisores del Condado."
)


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.open_default()


def top(hits: list[Hit], n: int = 3) -> list[tuple[str, str, str]]:
    return [(h.label, h.kind, h.match) for h in hits[:n]]


# The eight county seats that used to open another city -------------------------------------


@pytest.mark.parametrize(
    ("text", "slug", "county"),
    [
        ("Fresno", "fresno", "Fresno County"),
        ("Los Angeles", "los-angeles", "Los Angeles County"),
        ("San Diego", "san-diego", "San Diego County"),
        ("Sacramento", "sacramento", "Sacramento County"),
        ("Riverside", "riverside", "Riverside County"),
        ("San Bernardino", "san-bernardino", "San Bernardino County"),
        ("Santa Clara", "santa-clara", "Santa Clara County"),
        ("Ventura", "ventura", "Ventura County"),
    ],
)
def test_a_county_seat_opens_the_city_before_its_county(
    atlas: Atlas, text: str, slug: str, county: str
) -> None:
    hits = search(atlas, text)
    assert top(hits) == [
        (text, "place", "exact"),
        (f"{county}, unincorporated areas", "place", "prefix"),
        (county, "county", "prefix"),
    ]
    first = best(hits)
    assert first is hits[0]
    assert (first.page, first.params, first.detail) == ("place", (("place", slug),), county)
    assert first.iri == f"{ID}jurisdiction/{slug}"
    assert hits[2].page == "graph"
    assert hits[2].params == (("node", f"id/jurisdiction/{slug}-county"),)
    # lower case, and in Spanish: the same city first, its county named in Spanish
    assert best(search(atlas, text.lower())) == first
    spanish = best(search(atlas, text, lang="es"))
    assert spanish is not None
    spanish_name = text.replace("Los Angeles", "Los Ángeles")
    assert (spanish.label, spanish.params) == (spanish_name, (("place", slug),))
    assert spanish.detail == "Condado de " + county.removesuffix(" County").replace(
        "Los Angeles", "Los Ángeles"
    )


# Accents, punctuation, "Saint", typos ----------------------------------------------------------


def test_san_jose_with_or_without_the_accent(atlas: Atlas) -> None:
    for text in ("san jose", "San José", "SAN JOSE", " san  josé "):
        hit = best(search(atlas, text))
        assert hit is not None, text
        assert (hit.label, hit.params, hit.match) == ("San Jose", (("place", "san-jose"),), "exact")
    spanish = best(search(atlas, "san jose", lang="es"))
    assert spanish is not None and spanish.label == "San José"


def test_la_canada_finds_la_canada_flintridge(atlas: Atlas) -> None:
    hits = search(atlas, "La Canada")
    assert top(hits, 1) == [("La Cañada Flintridge", "place", "prefix")]
    assert hits[0].params == (("place", "la-canada-flintridge"),)
    assert best(hits) is None  # not exact: the list is shown (the city council follows)
    exact = best(search(atlas, "la cañada flintridge"))
    assert exact is not None and (exact.params, exact.match) == (hits[0].params, "exact")


def test_saint_is_st(atlas: Atlas) -> None:
    hit = best(search(atlas, "Saint Helena"))
    assert hit is not None
    assert (hit.label, hit.params, hit.match) == ("St. Helena", (("place", "st-helena"),), "exact")
    assert best(search(atlas, "St Helena")) == hit
    # only Saint and St.: Santa is another word
    assert search(atlas, "Santa Helena") == []


def test_a_typo_finds_the_city(atlas: Atlas) -> None:
    hits = search(atlas, "Oaklnd")
    assert top(hits) == [
        ("Oakland", "place", "fuzzy"),
        ("Oakland City Council", "body", "fuzzy"),
        ("Oakland city departments (other than police)", "body", "fuzzy"),
    ]
    assert hits[0].params == (("place", "oakland"),)
    assert best(hits) is None


# Places that are not cities ----------------------------------------------------------------------


def test_east_los_angeles_leads_to_the_county_unincorporated_area(atlas: Atlas) -> None:
    hits = search(atlas, "East Los Angeles")
    hit = best(hits)
    assert hit is not None
    assert (hit.kind, hit.label, hit.match, hit.page) == (
        "community",
        "East Los Angeles",
        "exact",
        "place",
    )
    assert hit.params == (("place", LA_UNINCORPORATED), ("from", "east-los-angeles"))
    assert hit.detail == "Los Angeles County"
    assert hit.note == EAST_LA_NOTE_EN
    assert best(search(atlas, "east la")) == hit  # an alternative name
    spanish = best(search(atlas, "Este de Los Angeles", lang="es"))
    assert spanish is not None
    assert (spanish.label, spanish.params) == ("Este de Los Ángeles", hit.params)
    assert spanish.note == EAST_LA_NOTE_ES
    assert arrival_note(atlas, "east-los-angeles") == EAST_LA_NOTE_EN
    assert arrival_note(atlas, "east-los-angeles", lang="es") == EAST_LA_NOTE_ES
    assert arrival_note(atlas, "oakland") is None
    assert arrival_note(atlas, "nowhere'; DROP") is None


def test_the_communities_are_not_places(atlas: Atlas) -> None:
    from pipeline_atlas.plan import places

    everywhere = places(atlas)
    assert len(everywhere) == 482 + 57
    assert "east-los-angeles" not in {p.slug for p in everywhere}
    communities = sorted(
        (e.label, dict(e.params)["place"]) for e in index(atlas).entries if e.kind == "community"
    )
    assert communities == [
        ("Altadena", LA_UNINCORPORATED),
        ("Bay Point", "contra-costa-county-unincorporated"),
        ("Castro Valley", "alameda-county-unincorporated"),
        ("East Los Angeles", LA_UNINCORPORATED),
        ("Florence-Graham", LA_UNINCORPORATED),
        ("Isla Vista", "santa-barbara-county-unincorporated"),
    ]


# Bodies, laws and stages -------------------------------------------------------------------------


def test_a_body(atlas: Atlas) -> None:
    hit = best(search(atlas, "board of parole hearings"))
    assert hit is not None
    assert (hit.kind, hit.label, hit.page) == ("body", "Board of Parole Hearings", "graph")
    assert hit.params == (("node", "id/body/board-of-parole-hearings"),)


def test_a_spanish_label_with_accents_is_found_by_plain_words(atlas: Atlas) -> None:
    hits = search(atlas, "los angeles board", lang="es")
    assert top(hits, 1) == [
        ("Junta de Supervisores del Condado de Los Ángeles", "body", "contains")
    ]
    assert hits[0].params == (("node", "id/body/los-angeles-county-board-of-supervisors"),)
    assert top(search(atlas, "junta de supervisores del condado de los angeles", lang="es"), 1) == [
        ("Junta de Supervisores del Condado de Los Ángeles", "body", "exact")
    ]


def test_a_law(atlas: Atlas) -> None:
    hits = search(atlas, "SB 54")
    # the short name in the label's parentheses is a name of its own: Enter opens the law
    assert top(hits, 1) == [("California Values Act (SB 54)", "law", "exact")]
    assert best(hits) == hits[0]
    assert hits[0].page == "graph"
    assert top(search(atlas, "TRUTH Act"), 1) == [("TRUTH Act (AB 2792)", "law", "exact")]
    assert [h.match for h in hits[1:]] and {h.match for h in hits[1:]} == {"definition"}
    assert search(atlas, "SB 54", lang="es")[0].label == "Ley de Valores de California (SB 54)"


def test_a_stage_in_both_languages(atlas: Atlas) -> None:
    for text, lang, label in (
        ("Police Stop", "en", "Police Stop"),
        ("police stop", "es", "Parada policial"),
        ("Parada policial", "es", "Parada policial"),
        ("parada policial", "en", "Police Stop"),
    ):
        hit = best(search(atlas, text, lang=lang))
        assert hit is not None, text
        assert (hit.kind, hit.label, hit.page, hit.params) == (
            "stage",
            label,
            "pipeline",
            (("stage", "1"),),
        )


def test_a_definition_is_searched_last(atlas: Atlas) -> None:
    assert search(atlas, "gentrified") == []  # in no name and no definition
    hits = search(atlas, "census-designated place")
    assert hits and {h.kind for h in hits} == {"community"}
    assert {h.match for h in hits} == {"definition"}


# Safety, results, speed ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ['"} ; DROP ALL', "?x a ?y } #", "<http://x>", "' OR 1=1 --", "", "   ", "\\u0000"]
)
def test_the_text_never_reaches_a_query(atlas: Atlas, text: str) -> None:
    hits = search(atlas, text)
    assert all(isinstance(h, Hit) for h in hits)
    assert best(hits) is None or best(hits) == hits[0]


def test_an_unknown_language_is_refused(atlas: Atlas) -> None:
    with pytest.raises(ParameterError):
        search(atlas, "Fresno", lang="fr")


def test_results_are_grouped_by_kind_and_pickle(atlas: Atlas) -> None:
    found = results(atlas, "Fresno", lang="es")
    assert [g.kind for g in found.groups][:2] == ["place", "county"]
    assert found.groups[0].title == "Ciudades, pueblos y áreas no incorporadas"
    assert found.groups[0].hits[0].label == "Fresno"
    assert (
        s.caption(found.groups[0].hits[0], lang="es") == "Condado de Fresno · coincide por nombre"
    )
    assert found.count == sum(len(g.hits) for g in found.groups)
    assert pickle.loads(pickle.dumps(found)) == found
    assert pickle.loads(pickle.dumps(index(atlas, lang="es"))).lang == "es"
    nothing = results(atlas, "Fresnoo Countyy Zzz")
    assert nothing.groups == ()
    assert "Fresno County" in nothing.suggestions


def test_normalize() -> None:
    assert normalize("La Cañada Flintridge") == "la canada flintridge"
    assert normalize("Saint Helena") == normalize("St. Helena") == "st helena"
    assert normalize("Police Arrest & Local Police Department Lockup") == (
        "police arrest and local police department lockup"
    )
    assert normalize("Sheriff\u2019s Office") == "sheriffs office"


def test_a_search_takes_less_than_50_ms_once_warm(atlas: Atlas) -> None:
    search(atlas, "warm up")
    started = time.perf_counter()
    for text in ("Fresno", "los angeles board", "Oaklnd", "SB 54", "East Los Angeles"):
        search(atlas, text)
    assert (time.perf_counter() - started) / 5 < 0.05
