"""Competency questions of issue #3 (California in the graph): exact answers per place."""

from __future__ import annotations

import pytest

from cqtools import short, table
from pipeline_atlas import Atlas

LEGISLATURE = "body/california-state-legislature"


def test_cq014_who_can_block_in_oakland(atlas: Atlas) -> None:
    cols = ["flow", "action", "body", "status"]
    assert table(atlas, "cq-014-who-can-block-in-a-city", cols, city="oakland") == [
        (
            "flow/city-departments-to-immigration-enforcement",
            "action/city-noncooperation-ordinance",
            "body/oakland-city-council",
            "local",
        ),
        ("flow/booking-fingerprints", None, None, "none"),
        (
            "flow/jail-detainers-and-notifications",
            "action/limit-collection-and-sharing",
            "body/oakland-city-council",
            "local",
        ),
        (
            "flow/jail-detainers-and-notifications",
            "action/limit-collection-and-sharing",
            "office/alameda-county-sheriff",
            "local",
        ),
        (
            "flow/lockup-personal-information",
            "action/limit-collection-and-sharing",
            "body/oakland-city-council",
            "local",
        ),
        (
            "flow/lockup-personal-information",
            "action/limit-collection-and-sharing",
            "office/alameda-county-sheriff",
            "local",
        ),
        (
            "flow/cdcr-cooperation-with-ice",
            "action/state-law-cdcr-noncooperation",
            LEGISLATURE,
            "state",
        ),
        ("flow/cdcr-referrals", "action/state-law-cdcr-noncooperation", LEGISLATURE, "state"),
        (
            "flow/cdcr-release-dates-and-transfers",
            "action/state-law-cdcr-noncooperation",
            LEGISLATURE,
            "state",
        ),
        (
            "flow/probation-appointment-notification",
            "action/county-probation-ordinance",
            "body/alameda-county-board-of-supervisors",
            "local",
        ),
        ("flow/federal-transfer-to-ice", None, None, "none"),
    ]


def test_cq014_san_francisco_board_answers_for_city_and_county(atlas: Atlas) -> None:
    got = table(atlas, "cq-014", ["flow", "body"], city="san-francisco")
    assert (
        "flow/city-departments-to-immigration-enforcement",
        "body/san-francisco-board-of-supervisors",
    ) in got
    assert (
        "flow/probation-appointment-notification",
        "body/san-francisco-board-of-supervisors",
    ) in got


def test_cq014_in_spanish_for_a_town(atlas: Atlas) -> None:
    rows = atlas.query("cq-014", params={"city": "apple-valley", "lang": "es"}).rows
    local = [(r["bodyLabel"], r["stageLabel"]) for r in rows if r["status"] == "local"]
    lockup = "Arresto policial y celda de detención de la policía local"
    assert local == [
        ("Concejo Municipal de Apple Valley", "Parada policial"),
        ("Sheriff del Condado de San Bernardino", lockup),
        ("Sheriff del Condado de San Bernardino", lockup),
        ("Junta de Supervisores del Condado de San Bernardino", "Condena por un delito estatal"),
    ]
    # Apple Valley has no police agency in the POST list: its police side stays unknown.
    assert [r["status"] for r in rows].count("unknown") == 2


def test_cq014_needs_a_city(atlas: Atlas) -> None:
    from pipeline_atlas import ParameterError

    with pytest.raises(ParameterError, match="city"):
        atlas.query("cq-014")


def test_cq015_bodies_governing_a_city(atlas: Atlas) -> None:
    cols = ["body", "levelLabel", "elected", "memberCount", "charterStatus", "policeProvider"]
    opd = "Oakland Police Department"  # issue 7: from the POST list (as of 2023-08-16)
    assert table(atlas, "cq-015-bodies-governing-a-place", cols, place="oakland") == [
        ("body/oakland-city-council", "City", None, None, None, opd),
        ("body/oakland-police-department", "City", None, None, None, opd),
        ("body/oakland-city-departments", "City", None, None, None, opd),
        ("body/alameda-county-board-of-supervisors", "County", None, 5, None, opd),
        ("body/alameda-county-district-attorneys-office", "County", None, None, None, opd),
        ("body/alameda-county-probation-department", "County", None, None, None, opd),
        ("body/alameda-county-sheriffs-department", "County", None, None, None, opd),
        ("office/alameda-county-chief-probation-officer", "County", False, None, None, opd),
        ("office/alameda-county-district-attorney", "County", True, None, None, opd),
        ("office/alameda-county-sheriff", "County", True, None, None, opd),
        ("body/alameda-county-superior-court", "County", None, None, None, opd),
    ]


def test_cq015_what_no_source_says_is_unbound(atlas: Atlas) -> None:
    # Issue 6 (words in one place): a query returns data, never a display word such as
    # "desconocido"; the plan says it is unknown, in the reader's language, from the catalogue.
    rows = atlas.query("cq-015", params={"place": "oakland", "lang": "es"}).rows
    unknowns = {(r["charterStatus"], r["formOfGovernment"], r["policeProvider"]) for r in rows}
    assert unknowns == {(None, None, "Oakland Police Department")}
    # Lakewood has no municipal police agency in the POST list: its provider stays unbound.
    rows = atlas.query("cq-015", params={"place": "lakewood", "lang": "es"}).rows
    assert {r["policeProvider"] for r in rows} == {None}


def test_cq015_a_county_has_its_charter_status(atlas: Atlas) -> None:
    rows = atlas.query("cq-015", params={"place": "alameda-county"}).rows
    assert {r["charterStatus"] for r in rows} == {"Charter"}
    # a county has no police provider or form of government of its own: those columns are empty
    assert {(r["policeProvider"], r["formOfGovernment"]) for r in rows} == {(None, None)}
    assert len(rows) == 8
    shasta = atlas.query("cq-015", params={"place": "shasta-county"}).rows
    assert {r["charterStatus"] for r in shasta} == {"Charter"}


def test_cq016_flows_no_local_body_can_block(atlas: Atlas) -> None:
    assert table(atlas, "cq-016", ["flow", "whoElseCan"]) == [
        ("flow/booking-fingerprints", None),
        ("flow/cdcr-cooperation-with-ice", "California State Legislature"),
        ("flow/cdcr-referrals", "California State Legislature"),
        ("flow/cdcr-release-dates-and-transfers", "California State Legislature"),
        ("flow/federal-transfer-to-ice", None),
    ]


def test_cq017_laws_and_gaps(atlas: Atlas) -> None:
    rows = {short(r["flow"]): r for r in atlas.query("cq-017").rows}
    assert len(rows) == 9
    detainers = rows["flow/jail-detainers-and-notifications"]
    assert set(str(detainers["limitedBy"]).split("; ")) == {
        "California Values Act (SB 54)",
        "TRUST Act (AB 4)",
        # Issue 7: the ordinance binds all city personnel, the police included.
        "Los Angeles Ordinance 188441",
        "San Francisco Administrative Code, chapters 12H and 12I",
        "Oakland City of Refuge resolutions",
        # Issue 7: other places' own laws (graph_data/california/local-laws.ttl).
        "Los Angeles County policy against ICE transfers without a judicial warrant (2020)",
        "Santa Clara County Civil Detainer Policy (Board Policy No. 3.54, 2011)",
        "Santa Ana Ordinance NS-2908 (sanctuary ordinance, 2017)",
        "Richmond sanctuary ordinances (Ordinance No. 29-90, strengthened in 2025)",
    }
    assert "Gov. Code § 7282.5" in str(detainers["remainingGap"])
    # Issue 7: since 2018 SB 54 bars every hold; § 7282.5 governs only notification and transfer.
    assert str(detainers["remainingGap"]).startswith(
        "SB 54 bars holding anyone on an ICE hold request, with no exception"
    )
    es = {short(r["flow"]): r for r in atlas.query("cq-017", params={"lang": "es"}).rows}
    assert len(es) == 9
    assert str(es["flow/jail-detainers-and-notifications"]["remainingGap"]).startswith(
        "La SB 54 prohíbe retener a cualquier persona"
    )
    # Issue 7: SB 580 (Gov. Code § 12532.5) reaches city departments too, by 1 Jan 2027.
    city = str(rows["flow/city-departments-to-immigration-enforcement"]["remainingGap"])
    assert "Gov. Code § 12532.5" in city
    assert "1 Jan 2027" in city
    assert rows["flow/cdcr-referrals"]["legalBasis"] == "California Penal Code § 5025"
    assert rows["flow/cdcr-referrals"]["limitedBy"] is None
    city_laws = str(rows["flow/city-departments-to-immigration-enforcement"]["limitedBy"])
    assert set(city_laws.split("; ")) == {
        "Los Angeles Ordinance 188441",
        "San Francisco Administrative Code, chapters 12H and 12I",
        "Oakland City of Refuge resolutions",
        "Santa Ana Ordinance NS-2908 (sanctuary ordinance, 2017)",
        "Long Beach Values Act of 2018",
        "Richmond sanctuary ordinances (Ordinance No. 29-90, strengthened in 2025)",
        # Issue 7: SB 580 (Stats. 2025, ch. 670) is linked as limiting this flow statewide.
        "SB 580 (2025): model policies on immigration authorities",
    }
    assert rows["flow/booking-fingerprints"]["legalBasis"] == "Secure Communities"
    assert all(r["remainingGap"] for r in rows.values())


def test_cq018_justice_funds_that_exclude_people_with_records(atlas: Atlas) -> None:
    cols = ["program", "excludes", "asOf"]
    assert table(atlas, "cq-018", cols, excludesRecords="true") == [
        ("program/la-justice-fund", True, None),
        ("program/sacramento-fuel-network", True, "2018-12"),
    ]
    # A boolean, unbound where no source says (issue 6: queries return data, not words).
    everything = table(atlas, "cq-018", ["program", "excludes"])
    assert [e for _, e in everything] == [True] * 2 + [False] * 3 + [None] * 3


def test_cq019_time_sensitive_facts_have_dates_and_sources(atlas: Atlas) -> None:
    rows = atlas.query("cq-019").rows
    assert len(rows) >= 15
    assert all(r["source"] for r in rows)
    as_of = {short(r["node"]): str(r["asOf"]) for r in rows}
    assert as_of["instrument/los-angeles-ordinance-188441"] == "2026-06-22"
    assert as_of["program/san-diego-county-immigrant-legal-defense"] == "2025-02"
    assert as_of["body/ice-field-office-sfr"] == "2022-02-28"


def test_cq020_counties_with_a_past_287g_agreement(atlas: Atlas) -> None:
    cols = ["county", "startDate", "endDate", "lastSeen"]
    # End dates only where a source says when the agreement ended (issue 7); the data's last
    # active dates are last sightings.
    assert table(atlas, "cq-020-counties-with-past-287g", cols) == [
        ("jurisdiction/los-angeles-county", "2005-02-01", "2015-05-12", "2015-03-31"),
        ("jurisdiction/orange-county", "2006-11-02", "2017-12-27", "2017-08-01"),
        ("jurisdiction/riverside-county", "2006-04-28", None, "2013-09-30"),
        # the addendum: no start date (data conflict)
        ("jurisdiction/san-bernardino-county", None, None, "2013-08-07"),
        ("jurisdiction/san-bernardino-county", "2005-10-19", None, "2013-09-30"),
    ]
