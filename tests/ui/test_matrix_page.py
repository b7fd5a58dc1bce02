"""The "who can block information sharing?" page (AppTest)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from uitools import open_app


def open_page(**params: str) -> AppTest:
    return open_app("app_pages/matrix.py", no_error=True, **params)


def test_the_matrix_for_the_state() -> None:
    at = open_page()
    assert [h.value for h in at.header] == [
        "Who can block information sharing in California, stage by stage"
    ]
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Stage",
        "City council",
        "The appropriate elected authority or authorities",
        "California State Legislature",
        "County board of supervisors",
        "What no one here can block",
    ]
    assert list(table["Stage"]) == [
        "1. Police Stop",
        "2. Police Arrest & Local Police Department Lockup",
        "3. State Crime Conviction",
        "4. Federal Crime Conviction",
    ]
    ticks = {
        (stage, body)
        for stage, row in enumerate(table.to_dict("records"), 1)
        for body, value in row.items()
        if str(value).startswith("✓")
    }
    assert ticks == {
        (1, "City council"),
        (2, "The appropriate elected authority or authorities"),
        (3, "California State Legislature"),
        (3, "County board of supervisors"),
    }
    assert [e.label for e in at.expander][1:] == [
        "✓ City council — stage 1: Police Stop",
        "✓ The appropriate elected authority or authorities — stage 2: Police Arrest & Local "
        "Police Department Lockup",
        "✓ California State Legislature — stage 3: State Crime Conviction",
        "✓ County board of supervisors — stage 3: State Crime Conviction",
    ]


def test_the_matrix_for_oakland_in_spanish_from_a_link() -> None:
    at = open_page(place="oakland", lang="es")
    assert [h.value for h in at.header] == [
        "Quién puede bloquear el intercambio de información para Oakland, Condado de Alameda, "
        "etapa por etapa"
    ]
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Etapa",
        "Concejo Municipal de Oakland",
        "Sheriff del Condado de Alameda",
        "Junta de Supervisores del Condado de Alameda",
        "Legislatura estatal de California",
        "Lo que nadie aquí puede bloquear",
    ]
    first = table.to_dict("records")[0]
    assert first["Concejo Municipal de Oakland"].startswith("✓ Aprobar una ordenanza")
    assert first["Sheriff del Condado de Alameda"] == "—"
    page = "\n".join(m.value for m in at.markdown)
    assert "**Sobre:** Otros departamentos municipales" in page
    assert "Las huellas del registro de ingreso van al FBI y al DHS" in page
