"""The city plan (pipeline_atlas.plan): exact answers for Oakland in English and San Francisco in
Spanish, the printable Markdown, and the error for a place the atlas does not know."""

from __future__ import annotations

import pytest

from pipeline_atlas import Atlas, AtlasError, ParameterError
from pipeline_atlas.i18n import t
from pipeline_atlas.plan import CityPlan, UnknownPlaceError, city_plan, places

ID = "https://w3id.org/pipeline-atlas/id/"
APPROPRIATE_EN = "The appropriate elected authority or authorities"
APPROPRIATE_ES = "La autoridad o autoridades electas correspondientes"


@pytest.fixture(scope="module")
def oakland(atlas: Atlas) -> CityPlan:
    return city_plan(atlas, "oakland")


@pytest.fixture(scope="module")
def san_francisco(atlas: Atlas) -> CityPlan:
    return city_plan(atlas, "san-francisco", lang="es")


def local_bodies(plan: CityPlan) -> dict[int, list[str]]:
    """Stage order → the local bodies that can block a flow there, once each, in order."""
    return {
        stage.order: list(
            dict.fromkeys(
                b.body_label or "" for f in stage.flows for b in f.blockers if b.status == "local"
            )
        )
        for stage in plan.stages
    }


def statuses(plan: CityPlan) -> list[tuple[int, str, tuple[str, ...]]]:
    return [
        (stage.order, flow.flow.removeprefix(ID + "flow/"), flow.statuses)
        for stage in plan.stages
        for flow in stage.flows
    ]


# Oakland, in English ---------------------------------------------------------------------------


def test_oakland_place_and_stages(oakland: CityPlan) -> None:
    assert (oakland.city, oakland.county) == (
        ID + "jurisdiction/oakland",
        ID + "jurisdiction/alameda-county",
    )
    assert (oakland.city_label, oakland.county_label, oakland.lang) == (
        "Oakland",
        "Alameda County",
        "en",
    )
    assert oakland.place_label == "Oakland, Alameda County"
    assert [(s.order, s.label) for s in oakland.stages] == [
        (1, "Police Stop"),
        (2, "Police Arrest & Local Police Department Lockup"),
        (3, "State Crime Conviction"),
        (4, "Federal Crime Conviction"),
    ]


def test_oakland_local_bodies_per_stage(oakland: CityPlan) -> None:
    assert local_bodies(oakland) == {
        1: ["Oakland City Council"],
        2: ["Oakland City Council", "Sheriff of Alameda County"],
        3: ["Alameda County Board of Supervisors"],
        4: [],
    }
    council = oakland.stages[0].flows[0].blockers[0]
    assert (council.body, council.level_label, council.generic_label, council.action) == (
        ID + "body/oakland-city-council",
        "City",
        "City council",
        ID + "action/city-noncooperation-ordinance",
    )


def test_oakland_who_can_block_each_flow(oakland: CityPlan) -> None:
    assert statuses(oakland) == [
        (1, "city-departments-to-immigration-enforcement", ("local",)),
        (2, "booking-fingerprints", ("none",)),
        (2, "jail-detainers-and-notifications", ("local",)),
        (2, "lockup-personal-information", ("local",)),
        (3, "cdcr-cooperation-with-ice", ("state",)),
        (3, "cdcr-referrals", ("state",)),
        (3, "cdcr-release-dates-and-transfers", ("state",)),
        (3, "probation-appointment-notification", ("local",)),
        (4, "federal-transfer-to-ice", ("none",)),
    ]


def test_oakland_lockup_names_the_council_and_the_sheriff(oakland: CityPlan) -> None:
    # Issue 7: the document's "appropriate elected authority" is resolved from who polices the
    # city (the POST list) and who runs the county jail.
    blockers = [
        (f.label, b.body, b.generic_label, (b.can_do or "")[:40])
        for f in oakland.stages[1].flows
        for b in f.blockers
        if b.status == "local"
    ]
    council = (
        ID + "body/oakland-city-council",
        APPROPRIATE_EN,
        "Can adopt a local policy or ordinance th",
    )
    sheriff = (
        ID + "office/alameda-county-sheriff",
        APPROPRIATE_EN,
        "Runs the county jail (Alameda County She",
    )
    detainers = "Jails answer ICE detainers and notification requests"
    personal = "Personal information collected at arrest and in the lockup is shared"
    assert blockers == [
        (detainers, *council),
        (detainers, *sheriff),
        (personal, *council),
        (personal, *sheriff),
    ]
    assert not any(
        b.status == "unknown" for s in oakland.stages for f in s.flows for b in f.blockers
    )
    assert (oakland.charter_status, oakland.police_provider) == (None, "Oakland Police Department")


def test_oakland_laws_and_gaps(oakland: CityPlan) -> None:
    flows = {f.flow.removeprefix(ID + "flow/"): f for s in oakland.stages for f in s.flows}
    city_departments = flows["city-departments-to-immigration-enforcement"]
    # Oakland's own resolutions limit it here; other cities' own laws are models.
    # Issue 7: SB 580 (Gov. Code § 12532.5) limits it statewide, by 1 Jan 2027.
    assert city_departments.limited_by == (
        "Oakland City of Refuge resolutions",
        "SB 580 (2025): model policies on immigration authorities",
    )
    assert set(city_departments.limited_elsewhere) == {
        ("Long Beach Values Act of 2018", "Long Beach"),
        ("Los Angeles Ordinance 188441", "Los Angeles"),
        ("Richmond sanctuary ordinances (Ordinance No. 29-90, strengthened in 2025)", "Richmond"),
        ("San Francisco Administrative Code, chapters 12H and 12I", "San Francisco"),
        ("Santa Ana Ordinance NS-2908 (sanctuary ordinance, 2017)", "Santa Ana"),
    }
    assert flows["jail-detainers-and-notifications"].limited_by == (
        "California Values Act (SB 54)",
        "Oakland City of Refuge resolutions",
        "TRUST Act (AB 4)",
    )
    assert flows["cdcr-referrals"].legal_basis == ("California Penal Code § 5025",)
    # Sorted: the order of a GROUP_CONCAT is the store's, the plan's is the same on every store.
    assert flows["federal-transfer-to-ice"].legal_basis == (
        "8 U.S.C. § 1231(a)(4) (removal after imprisonment)",
        "Institutional Hearing and Removal Program",
    )
    gap = flows["cdcr-referrals"].remaining_gap or ""
    assert gap.startswith("All of it: the law requires the referrals")
    assert flows["cdcr-referrals"].remaining_gap_language == "en"


def test_oakland_governing_bodies(oakland: CityPlan) -> None:
    bodies = {b.label: (b.kind, b.level, b.elected, b.member_count) for b in oakland.bodies}
    # The 11 bodies of the city and county, then those above them that the actions aim at.
    assert len(bodies) == 14
    assert list(bodies)[-3:] == [
        "California State Legislature",
        "Governor of California",
        "United States Congress",
    ]
    assert bodies["United States Congress"] == ("Legislative body", "Federal", None, None)
    assert bodies["Oakland Police Department"] == ("Law-enforcement agency", "City", None, None)
    assert bodies["Oakland City Council"] == ("Legislative body", "City", None, None)
    assert bodies["Alameda County Board of Supervisors"] == (
        "Legislative body",
        "County",
        None,
        5,
    )
    assert bodies["Sheriff of Alameda County"] == ("Office", "County", True, None)
    assert bodies["Chief Probation Officer of Alameda County"] == ("Office", "County", False, None)


def test_oakland_programs_are_alameda_countys(oakland: CityPlan) -> None:
    assert [
        (p.program.removeprefix(ID), p.label, p.where, p.excludes_records, p.as_of, p.ended)
        for p in oakland.programs
    ] == [
        (
            "program/alameda-county-immigration-representation",
            "Alameda County Public Defender's immigration project and ACILEP",
            ("Oakland", "Alameda County"),
            None,
            "2025-01",
            None,
        )
    ]


def test_oakland_markdown_has_the_headings(oakland: CityPlan) -> None:
    text = oakland.to_markdown()
    lines = text.splitlines()
    assert lines[0] == "# Oakland, Alameda County: a plan for organizers"
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == [
        "## Stage 1: Police Stop",
        "## Stage 2: Police Arrest & Local Police Department Lockup",
        "## Stage 3: State Crime Conviction",
        "## Stage 4: Federal Crime Conviction",
        "## Who governs Oakland",
        "## Legal representation for Oakland and Alameda County",
        "## What the sources do not say",
    ]
    for part in ("Who to contact", "What the law already does", "What still gets through"):
        assert lines.count(f"### {part}") == 4, part
    assert "- **Oakland City Council** (city)" in lines
    assert "- **Alameda County Board of Supervisors** (county)" in lines
    assert "- **California State Legislature** (state)" in lines
    assert "- Police: Oakland Police Department (Reported, last checked 2026-12-01)" in lines
    assert "- **Sheriff of Alameda County** (county)" in lines
    assert "- Oakland's form of government (council-manager or mayor-council): unknown." in lines
    assert "    - Elsewhere, in Los Angeles only: Los Angeles Ordinance 188441." in lines
    assert "    - Excludes people with criminal records: unknown" in lines
    assert "Not known for Oakland yet" not in text
    assert "| " not in text  # lists, never tables


def test_sections_match_the_markdown(oakland: CityPlan) -> None:
    sections = oakland.sections()
    assert [s.anchor for s in sections if s.level == 2] == [
        "stage-1",
        "stage-2",
        "stage-3",
        "stage-4",
        "who-governs",
        "representation",
        "unknown",
    ]
    text = oakland.to_markdown()
    assert all(s.body in text for s in sections)


# San Francisco, in Spanish ---------------------------------------------------------------------


def test_san_francisco_is_its_own_county(san_francisco: CityPlan) -> None:
    assert san_francisco.city == san_francisco.county == ID + "jurisdiction/san-francisco"
    assert san_francisco.place_label == "San Francisco (ciudad y condado)"
    assert [s.label for s in san_francisco.stages] == [
        "Parada policial",
        "Arresto policial y celda de detención de la policía local",
        "Condena por un delito estatal",
        "Condena por un delito federal",
    ]


def test_san_francisco_board_answers_for_city_and_county(san_francisco: CityPlan) -> None:
    assert local_bodies(san_francisco) == {
        1: ["Junta de Supervisores de San Francisco"],
        2: ["Junta de Supervisores de San Francisco", "Sheriff de San Francisco"],
        3: ["Junta de Supervisores de San Francisco"],
        4: [],
    }
    state = {
        b.body_label
        for s in san_francisco.stages
        for f in s.flows
        for b in f.blockers
        if b.status == "state"
    }
    assert state == {"Legislatura estatal de California"}
    unknown = {
        b.generic_label
        for s in san_francisco.stages
        for f in s.flows
        for b in f.blockers
        if b.status == "unknown"
    }
    assert unknown == set()


def test_san_francisco_charter_and_police_are_known(san_francisco: CityPlan) -> None:
    assert san_francisco.charter_status == "Charter (con carta constitutiva)"
    assert san_francisco.police_provider == "San Francisco Police Department"


def test_san_francisco_program(san_francisco: CityPlan) -> None:
    assert [
        (p.label, p.where, p.excludes_records, p.eligibility_language)
        for p in san_francisco.programs
    ] == [
        (
            "Unidad de Inmigración de la Defensoría Pública de San Francisco",
            ("San Francisco",),
            None,
            "es",  # the eligibility note has its Spanish version (issue 7)
        )
    ]


def test_san_francisco_markdown_in_spanish(san_francisco: CityPlan) -> None:
    text = san_francisco.to_markdown()
    lines = text.splitlines()
    assert lines[0] == "# San Francisco (ciudad y condado): un plan para organizadores"
    assert "## Etapa 1: Parada policial" in lines
    for part in ("A quién contactar", "Lo que la ley ya hace", "Lo que todavía se filtra"):
        assert lines.count(f"### {part}") == 4, part
    assert "## Quién gobierna San Francisco" in lines
    assert "## Representación legal para San Francisco" in lines
    assert "- Ciudad charter o de ley general: Charter (con carta constitutiva)" in lines
    assert (
        "- Policía: San Francisco Police Department (Informado, última verificación: 2026-12-01)"
        in lines
    )
    assert "- **Junta de Supervisores de San Francisco** (condado)" in lines
    assert "    - Excluye a personas con antecedentes penales: se desconoce" in lines
    # Issue 7, point 5: every note the plan shows now has a Spanish version, so none is
    # marked as English-only.
    assert "(en inglés)" not in text
    assert "Who to contact" not in text


def laws_already(plan: CityPlan) -> list[str]:
    """The lines of the plan's "What the law already does" sections."""
    heading = "### " + t("plan.law", plan.lang)
    lines: list[str] = []
    inside = False
    for line in plan.to_markdown().splitlines():
        if line.startswith("#"):
            inside = line == heading
        elif inside:
            lines.append(line)
    return lines


@pytest.mark.parametrize(
    ("city", "lang", "law"),
    [
        ("oakland", "en", "Oakland City of Refuge resolutions"),
        ("oakland", "es", "Resoluciones de Oakland como Ciudad de Refugio"),
        ("san-francisco", "en", "San Francisco Administrative Code, chapters 12H and 12I"),
        ("san-francisco", "es", "Código Administrativo de San Francisco, capítulos 12H y 12I"),
    ],
)
def test_a_citys_own_sanctuary_law_is_in_its_plan(
    atlas: Atlas, city: str, lang: str, law: str
) -> None:
    # Issue 7, point 3: a city's own sanctuary law shows under "What the law already does".
    plan = city_plan(atlas, city, lang=lang)
    flows = {f.flow.removeprefix(ID + "flow/"): f for s in plan.stages for f in s.flows}
    for flow in ("city-departments-to-immigration-enforcement", "jail-detainers-and-notifications"):
        assert law in flows[flow].limited_by, flow
        assert all(other != law for other, _ in flows[flow].limited_elsewhere)
    limited = t("plan.limited_by", lang, laws="").rstrip()
    assert any(limited in line and law in line for line in laws_already(plan))


# Other places ----------------------------------------------------------------------------------


def test_los_angeles_ordinance_limits_the_flow_there(atlas: Atlas) -> None:
    plan = city_plan(atlas, "jurisdiction:los-angeles")
    flow = plan.stages[0].flows[0]
    assert flow.limited_by == (
        "Los Angeles Ordinance 188441",
        "SB 580 (2025): model policies on immigration authorities",
    )
    assert set(flow.limited_elsewhere) == {
        ("Long Beach Values Act of 2018", "Long Beach"),
        ("Oakland City of Refuge resolutions", "Oakland"),
        ("Richmond sanctuary ordinances (Ordinance No. 29-90, strengthened in 2025)", "Richmond"),
        ("San Francisco Administrative Code, chapters 12H and 12I", "San Francisco"),
        ("Santa Ana Ordinance NS-2908 (sanctuary ordinance, 2017)", "Santa Ana"),
    }
    # Issue 7: the ordinance binds all city personnel, the police (and its lockup) included.
    flows = {f.flow.removeprefix(ID + "flow/"): f for s in plan.stages for f in s.flows}
    assert "Los Angeles Ordinance 188441" in flows["jail-detainers-and-notifications"].limited_by
    assert [(p.label, p.where, p.excludes_records, p.ended) for p in plan.programs] == [
        ("L.A. Justice Fund", ("Los Angeles", "Los Angeles County"), True, "2021"),
        ("LA Immigrant Community Legal Defense Program", ("Los Angeles County",), None, None),
    ]


def test_long_beach_gets_its_own_and_its_countys_programs(atlas: Atlas) -> None:
    plan = city_plan(atlas, ID + "jurisdiction/long-beach")
    assert [(p.label, p.excludes_records) for p in plan.programs] == [
        ("Long Beach Justice Fund", False),
        ("L.A. Justice Fund", True),
        ("LA Immigrant Community Legal Defense Program", None),
    ]


def test_a_place_with_no_program_says_so(atlas: Atlas) -> None:
    plan = city_plan(atlas, "fresno")
    assert plan.programs == ()
    assert "No justice fund or legal-representation program for Fresno or Fresno County" in (
        plan.to_markdown()
    )


def test_places_lists_every_city_and_town(atlas: Atlas) -> None:
    everywhere = places(atlas)
    # 482 cities and towns and 57 counties' unincorporated areas (San Francisco has none)
    assert len(everywhere) == 482 + 57
    assert sum(p.unincorporated for p in everywhere) == 57
    by_slug = {p.slug: p for p in everywhere}
    assert by_slug["oakland"].display() == "Oakland, Alameda County"
    assert by_slug["san-francisco"].display(lang="es") == "San Francisco (ciudad y condado)"
    assert places(atlas, lang="es")[0].county_label == "Condado de San Bernardino"
    la = by_slug["los-angeles-county-unincorporated"]
    assert la.display() == "Los Angeles County, unincorporated areas"
    assert la.county == "https://w3id.org/pipeline-atlas/id/jurisdiction/los-angeles-county"
    spanish = {p.slug: p for p in places(atlas, lang="es")}
    assert spanish["los-angeles-county-unincorporated"].display(lang="es") == (
        "Condado de Los Ángeles, áreas no incorporadas"
    )
    assert "san-francisco-unincorporated" not in by_slug


# Errors ----------------------------------------------------------------------------------------


def test_unknown_city_is_a_parameter_error_with_close_matches(atlas: Atlas) -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        city_plan(atlas, "oaklnd")
    error = caught.value
    assert isinstance(error, ParameterError)
    assert isinstance(error, AtlasError)
    assert error.param == "city"
    assert error.candidates == ["oakland"]
    assert str(error) == "no city or town 'oaklnd' in the atlas; did you mean oakland?"


def test_a_county_is_not_a_city(atlas: Atlas) -> None:
    with pytest.raises(UnknownPlaceError, match="no city or town 'alameda-county'"):
        city_plan(atlas, "alameda-county")


def test_a_name_far_from_any_city_says_only_what_is_wrong(atlas: Atlas) -> None:
    # Issue 6: library errors say what is wrong; advice about commands is the CLI's, from the
    # message catalogue.
    with pytest.raises(UnknownPlaceError) as caught:
        city_plan(atlas, "gotham")
    assert caught.value.candidates == []
    assert str(caught.value) == "no city or town 'gotham' in the atlas"
    assert "`pipeline-atlas query places`" in t("cli.advice.places")


def test_unknown_language(atlas: Atlas) -> None:
    with pytest.raises(ParameterError, match="language 'fr' is not one of en, es"):
        city_plan(atlas, "oakland", lang="fr")
