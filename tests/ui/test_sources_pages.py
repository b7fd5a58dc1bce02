"""The sources, glossary and history pages (AppTest), in English and in Spanish."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py"
TIMEOUT = 300


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_sources_page_in_english_with_the_filter() -> None:
    at = open_page("sources")
    assert [t.value for t in at.title] == ["Sources"]
    assert [h.value for h in at.header] == ["The dataset", "The sources"]
    page = shown(at)
    assert "**Pipeline Atlas: California's Arrest-to-Deportation Pipeline**" in page
    assert "Licence: [https://creativecommons.org/licenses/by-sa/4.0/]" in page
    assert "- Latest check of a fact: 2026-12-01" in page
    total = len(at.dataframe[0].value)
    assert total > 500
    assert f"{total} of {total} sources" in page
    assert "[https://caimmigrant.org/what-we-do/policy/actions-for-organizers/]" in page
    assert len(at.get("download_button")) == 1
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Source",
        "Link",
        "Facts supported",
        "For example",
        "How sure",
        "Last checked",
    ]

    at.text_input(key="sources-filter").input("amylhowe").run()
    assert not at.exception
    page = shown(at)
    assert f"1 of {total} sources" in page
    table = at.dataframe[0].value
    assert table["Link"].tolist() == [
        "http://amylhowe.com/2020/06/15/court-turns-down-governments-sanctuary-state-petition"
    ]
    assert table["For example"].tolist() == ["California Values Act (SB 54)"]
    assert table["Last checked"].tolist() == ["2026-12-01"]
    assert (
        "- [California Values Act (SB 54)]"
        "(graph?node=id/instrument/california-values-act&lang=en)" in page
    )


def test_sources_page_in_spanish() -> None:
    at = open_page("sources", lang="es")
    assert [t.value for t in at.title] == ["Fuentes"]
    assert [h.value for h in at.header] == ["El conjunto de datos", "Las fuentes"]
    page = shown(at)
    assert "**Pipeline Atlas: la cadena del arresto a la deportación en California**" in page
    total = len(at.dataframe[0].value)
    assert f"{total} de {total} fuentes" in page
    assert "**Qué tan seguro:** Verificado, Informado" in page
    assert list(at.dataframe[0].value.columns)[:3] == ["Fuente", "Enlace", "Datos respaldados"]


def test_glossary_page_in_english_lists_every_term() -> None:
    at = open_page("glossary")
    assert [t.value for t in at.title] == ["Glossary"]
    terms = [s.value for s in at.subheader]
    assert terms[0] == "287(g)" and terms[-1] == "universal representation"
    assert len(terms) == 14
    assert "Also called: Immigrant Defenders Law Center" in shown(at)


def test_glossary_page_opens_sb_54_in_spanish_from_a_link() -> None:
    at = open_page("glossary", term="sb-54", lang="es")
    assert [t.value for t in at.title] == ["Glosario"]
    assert [h.value for h in at.header] == ["SB 54"]
    page = shown(at)
    assert "La Ley de Valores de California (California Values Act), una ley estatal" in page
    assert (
        "En el grafo: [Ley de Valores de California (SB 54)]"
        "(graph?node=id/instrument/california-values-act&lang=es)" in page
    )
    assert "Qué tan seguro: Informado · última revisión: 2026-12-01" in page
    assert len(at.subheader) == 13
    assert "SB 54" not in [s.value for s in at.subheader]


def test_glossary_page_unknown_term() -> None:
    at = open_page("glossary", term="nothing")
    assert 'The glossary has no term "nothing"; here are all the terms.' in shown(at)
    assert len(at.subheader) == 14


def test_history_page_in_english_and_spanish() -> None:
    at = open_page("history")
    assert [h.value for h in at.header] == ["Past 287(g) agreements", "Facts that can change"]
    agreements = at.dataframe[0].value
    assert agreements["County"].tolist() == [
        "Los Angeles County",
        "San Bernardino County",
        "Riverside County",
        "Orange County",
        "San Bernardino County",
    ]
    assert agreements["Ended"].tolist() == ["2015-05-12", "", "", "2017-12-27", ""]
    found = re.search(r"(\d+) of (\d+) facts, oldest date first", shown(at))
    assert found and found.group(1) == found.group(2) == str(len(at.dataframe[1].value))

    at = open_page("history", lang="es")
    assert [t.value for t in at.title] == ["Historia y fechas"]
    agreements = at.dataframe[0].value
    assert agreements["Primera firma"].tolist()[0] == "2005-02-01"
    assert agreements["Condado"].tolist()[0] == "Condado de Los Ángeles"
    at.selectbox(key="history-kind-es").set_value("agreement").run()
    assert not at.exception
    assert re.search(r"\b5 de \d+ datos, de la fecha más antigua a la más reciente", shown(at))
    facts = at.dataframe[1].value
    assert set(facts["Tipo"]) == {"Acuerdo 287(g)"}
    assert facts["Fecha del dato"].tolist() == sorted(facts["Fecha del dato"].tolist())
