"""The search box on every page and the search page, driven with AppTest: Enter on an exact name
opens it (and empties the box), anything else lists the hits; in English and Spanish."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py"
TIMEOUT = 300
BOX = "search-box"


def app(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    return at


def check(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def links(at: AppTest) -> list[str]:
    return [str(element.proto.label) for element in at.get("page_link")]


def params(at: AppTest) -> dict[str, str]:
    return {name: str(value) for name, value in at.query_params.items()}


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_enter_on_an_exact_name_opens_it_and_empties_the_box() -> None:
    at = check(app().run())
    assert at.text_input(key=BOX).label == "Find a place, body, action, law or stage"
    check(at.text_input(key=BOX).input("Fresno").run())
    assert params(at) == {"place": "fresno", "lang": "en"}
    assert [t.value for t in at.title] == ["Your place"]
    assert at.text_input(key=BOX).value == ""
    # the next run (any click) stays on the place and does not search again
    check(at.run())
    assert params(at)["place"] == "fresno"
    assert at.text_input(key=BOX).value == ""
    # a community opens its county's unincorporated area, saying where it came from
    check(at.text_input(key=BOX).input("East Los Angeles").run())
    assert params(at) == {
        "place": "los-angeles-county-unincorporated",
        "from": "east-los-angeles",
        "lang": "en",
    }
    assert at.text_input(key=BOX).value == ""
    # a stage opens the pipeline page at that stage
    check(at.text_input(key=BOX).input("police stop").run())
    assert params(at) == {"stage": "1", "lang": "en"}
    assert at.text_input(key=BOX).value == ""


def test_enter_in_spanish_keeps_the_language() -> None:
    at = check(app(lang="es").run())
    check(at.text_input(key=BOX).input("San José").run())
    assert params(at) == {"place": "san-jose", "lang": "es"}
    assert [t.value for t in at.title] == ["Su lugar"]


def test_enter_on_anything_else_lists_the_hits() -> None:
    at = check(app().run())
    check(at.text_input(key=BOX).input("La Canada").run())
    assert params(at) == {"q": "La Canada", "lang": "en"}
    assert at.text_input(key=BOX).value == ""
    assert [t.value for t in at.title] == ["Search"]
    assert [s.value for s in at.header][:2] == [
        "Cities, towns and unincorporated areas",
        "Bodies and agencies",
    ]
    assert links(at)[:2] == ["La Cañada Flintridge", "La Cañada Flintridge City Council"]
    assert captions(at)[0] == "Los Angeles County · matched by start of the name"


def test_the_search_page_from_a_link_in_spanish() -> None:
    at = check(app(q="Fresno", lang="es").run())
    at.switch_page("app_pages/search.py")
    check(at.run())
    assert [t.value for t in at.title] == ["Búsqueda"]
    assert at.text_input(key=BOX).label == "Buscar un lugar, organismo, acción, ley o etapa"
    assert [s.value for s in at.header][:2] == [
        "Ciudades, pueblos y áreas no incorporadas",
        "Condados",
    ]
    assert links(at)[:3] == [
        "Fresno",
        "Condado de Fresno, áreas no incorporadas",
        "Condado de Fresno",
    ]
    assert captions(at)[0] == "Condado de Fresno · coincide por nombre"


def test_text_that_looks_like_a_query_finds_nothing_and_breaks_nothing() -> None:
    at = check(app().run())
    check(at.text_input(key=BOX).input('"} ; DROP ALL').run())
    assert params(at) == {"q": '"} ; DROP ALL', "lang": "en"}
    assert [w.value for w in at.warning] == ['Nothing found for “"} ; DROP ALL”.']
    assert captions(at)[-1].startswith("Try a city or county name")
