"""pipeline_atlas.explore.history: the past 287(g) agreements and the facts that can change."""

from __future__ import annotations

import csv

import pytest

from pipeline_atlas import Atlas
from pipeline_atlas.explore.history import (
    Agreement287g,
    TimeSensitiveFact,
    kinds_present,
    past_287g,
    rows_287g,
    rows_time_sensitive,
    time_sensitive,
)
from pipeline_atlas.paths import project_paths

CSV = (
    project_paths().graph_data / "california" / "sources" / "ca_287g_agreements_historical_ddp.csv"
)
ID = "https://w3id.org/pipeline-atlas/id/"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.open_default(rebuild_stale=True)


@pytest.fixture(scope="module")
def agreements(atlas: Atlas) -> list[Agreement287g]:
    return past_287g(atlas, lang="en")


@pytest.fixture(scope="module")
def facts(atlas: Atlas) -> list[TimeSensitiveFact]:
    return time_sensitive(atlas, lang="en")


def test_the_287g_agreements_are_those_of_the_data(agreements: list[Agreement287g]) -> None:
    with CSV.open(encoding="utf-8") as f:
        data = list(csv.DictReader(f))
    # a first signing date later than the last sighting (the San Bernardino addendum: signed
    # 2013-10-11, last seen 2013-08-07) is only the date the source first observed it: no start
    expected = sorted(
        (
            r["first_signed_best"] if r["first_signed_best"] <= r["active_to"] else "",
            r["active_to"],
            r["models"],
        )
        for r in data
    )
    shown = sorted((a.start_date or "", a.last_seen or "", a.model or "") for a in agreements)
    assert shown == expected
    assert len(agreements) == len(data) == 5


def test_the_287g_rows_in_order(agreements: list[Agreement287g]) -> None:
    assert [
        (a.county_label, a.agency_label, a.start_date, a.end_date, a.last_seen) for a in agreements
    ] == [
        (
            "Los Angeles County",
            "Los Angeles County sheriff's department",
            "2005-02-01",
            "2015-05-12",
            "2015-03-31",
        ),
        (
            "San Bernardino County",
            "San Bernardino County sheriff's department",
            "2005-10-19",
            None,
            "2013-09-30",
        ),
        (
            "Riverside County",
            "Riverside County sheriff's department",
            "2006-04-28",
            None,
            "2013-09-30",
        ),
        (
            "Orange County",
            "Orange County sheriff's department",
            "2006-11-02",
            "2017-12-27",
            "2017-08-01",
        ),
        (
            "San Bernardino County",
            "San Bernardino County sheriff's department",
            None,
            None,
            "2013-08-07",
        ),
    ]
    la = agreements[0]
    assert la.agency_node == "id/body/los-angeles-county-sheriffs-department"
    assert la.confidence == "Reported" and la.last_checked == "2026-11-28"
    assert len(la.sources) == 6
    assert any("hildalsolis.org" in s for s in la.sources)


def test_the_287g_table_in_spanish(atlas: Atlas) -> None:
    rows = rows_287g(past_287g(atlas, lang="es"), lang="es")
    assert rows[0] == {
        "Condado": "Condado de Los Ángeles",
        "Agencia": "Departamento del Sheriff del Condado de Los Ángeles",
        "Modelo": "Jail Enforcement",
        "Primera firma": "2005-02-01",
        "Terminó": "2015-05-12",
        "Visto vigente por última vez": "2015-03-31",
        "Qué tan seguro": "Informado",
        "Última revisión": "2026-11-28",
    }
    assert rows[-1]["Primera firma"] == "no se sabe"
    assert rows[-1]["Terminó"] == ""


def test_every_time_sensitive_fact_once_oldest_first(
    atlas: Atlas, facts: list[TimeSensitiveFact]
) -> None:
    count = atlas.store.query(
        "SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE "
        "{ ?n <https://w3id.org/pipeline-atlas/ont/asOf> ?d }"
    ).rows[0]["c"]
    assert len(facts) == int(str(count)) == len({f.iri for f in facts})
    assert [f.as_of for f in facts] == sorted(f.as_of for f in facts)
    assert facts[0].label == "Federal Bureau of Investigation (FBI)"
    assert facts[0].as_of == "2011-02"
    assert all(f.sources for f in facts)


def test_a_local_law_with_its_dates(facts: list[TimeSensitiveFact]) -> None:
    (policy,) = [
        f for f in facts if f.node == "id/instrument/los-angeles-county-ice-transfer-policy"
    ]
    assert policy.as_of == "2020-09-01"
    assert policy.dates == ("enacted 2020-09-01",)
    assert policy.kind == "law"
    assert policy.kind_label == "Law or policy"
    assert policy.change == "Amendments, repeal or court rulings"
    assert policy.confidence == "Reported" and policy.last_checked == "2026-12-01"


def test_the_agreements_are_time_sensitive_too(facts: list[TimeSensitiveFact]) -> None:
    kinds = [f for f in facts if f.kind == "agreement"]
    assert len(kinds) == 5
    la = next(f for f in kinds if "los-angeles" in f.node)
    assert la.as_of == "2015-03-31"
    assert la.dates == ("started 2005-02-01", "ended 2015-05-12")


def test_the_facts_table_in_spanish_by_kind(atlas: Atlas) -> None:
    facts = time_sensitive(atlas, lang="es")
    kinds = dict(kinds_present(facts))
    assert kinds["agreement"] == "Acuerdo 287(g)"
    assert kinds["law"] == "Ley o política"
    rows = rows_time_sensitive(facts, lang="es", kind="agreement")
    assert len(rows) == 5
    assert set(rows[0]) == {
        "Fecha del dato",
        "Dato",
        "Tipo",
        "Otras fechas",
        "Qué puede haber cambiado",
        "Qué tan seguro",
        "Última revisión",
        "Página",
    }
    assert {r["Tipo"] for r in rows} == {"Acuerdo 287(g)"}
    assert len(rows_time_sensitive(facts, lang="es")) == len(facts)
