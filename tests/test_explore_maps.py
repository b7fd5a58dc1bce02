"""County maps from the graph's geo:asWKT (pipeline_atlas.explore.maps): every county's boundary
parses and lies in California, the Fresno County map in English and Spanish, WKT errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape

import pytest

from pipeline_atlas import Atlas, ParameterError
from pipeline_atlas.explore.maps import county_map, county_shapes, parse_wkt, wkt_map

JURISDICTION = "https://w3id.org/pipeline-atlas/id/jurisdiction/"
FRESNO = JURISDICTION + "fresno-county"
# California lies within these longitudes and latitudes (about -124.4 to -114.1, 32.5 to 42.0).
WEST, EAST, SOUTH, NORTH = -124.6, -114.0, 32.4, 42.1


@pytest.fixture(scope="module")
def atlas() -> Iterator[Atlas]:
    with Atlas.open_default() as opened:
        yield opened


def test_every_county_of_the_graph_parses_and_lies_in_california(atlas: Atlas) -> None:
    rows = atlas.query("county-geometry").rows
    assert len(rows) == 58
    assert len({row["county"] for row in rows}) == 58
    for row in rows:
        polygons = parse_wkt(str(row["wkt"]))
        assert polygons, row["county"]
        points = [p for polygon in polygons for ring in polygon for p in ring]
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        assert WEST < min(lons) < max(lons) < EAST, row["county"]
        assert SOUTH < min(lats) < max(lats) < NORTH, row["county"]
    multi = sorted(str(r["countyLabel"]) for r in rows if str(r["wkt"]).startswith("MULTI"))
    assert len(multi) == 5
    assert "Ventura County" in multi
    ventura = next(r for r in rows if r["countyLabel"] == "Ventura County")
    assert len(parse_wkt(str(ventura["wkt"]))) == 3  # the mainland and two islands


def test_county_shapes_are_read_once_per_atlas_and_language(atlas: Atlas) -> None:
    english = county_shapes(atlas)
    assert county_shapes(atlas) is english
    spanish = county_shapes(atlas, lang="es")
    assert [s.iri for s in spanish] == [s.iri for s in english]
    fresno = next(s for s in spanish if s.iri == FRESNO)
    assert fresno.label == "Condado de Fresno"
    west, south, east, north = fresno.bbox
    assert (round(west, 2), round(south, 2), round(east, 2), round(north, 2)) == (
        -120.92,
        35.91,
        -118.36,
        37.59,
    )


def test_fresno_county_map_in_english(atlas: Atlas) -> None:
    figure = county_map(atlas, FRESNO, highlight_place="Fresno")
    svg = figure.svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 480" ')
    assert 'width="100%"' in svg
    assert 'role="img"' in svg
    title = "Map of California's counties with Fresno County highlighted"
    assert f'aria-label="{escape(title)}"' in svg
    assert f"<title>{escape(title)}</title>" in svg
    # 58 county paths, exactly one highlighted: Fresno County
    assert len(re.findall(r'<path class="county[ "]', svg)) == 58
    highlighted = re.findall(r'<path class="county highlighted"[^>]*><title>([^<]*)</title>', svg)
    assert highlighted == ["Fresno County"]
    # the label, the close-up and the legend
    assert ">Fresno County</text>" in svg
    assert "Close-up: Fresno County" in svg
    assert svg.count('class="inset-county"') == 1
    assert ">Other counties</text>" in svg
    assert "The map shows counties only, not cities." in svg
    # nothing from outside: the only "http" is the SVG namespace
    assert svg.count("http") == 1
    assert "<script" not in svg and "<image" not in svg
    assert figure.text == (
        "Fresno is in Fresno County, shown in dark blue on a map of California's 58 counties, "
        "with a close-up of the county. The map shows counties only: the graph has no location "
        "for cities and towns."
    )


def test_fresno_county_map_in_spanish(atlas: Atlas) -> None:
    figure = county_map(atlas, FRESNO, lang="es", highlight_place="Fresno")
    svg = figure.svg
    assert (
        "<title>Mapa de los condados de California; en azul oscuro: Condado de Fresno</title>"
        in svg
    )
    assert re.findall(r'<path class="county highlighted"[^>]*><title>([^<]*)</title>', svg) == [
        "Condado de Fresno"
    ]
    assert "Ampliación: Condado de Fresno" in svg
    assert ">Otros condados</text>" in svg
    assert "El mapa muestra solo condados, no ciudades." in svg
    assert "Other counties" not in svg
    assert figure.text == (
        "Fresno está en el Condado de Fresno: el condado en azul oscuro en un mapa de los 58 "
        "condados de California, con una ampliación del condado. El mapa muestra solo "
        "condados: el grafo no tiene la ubicación de las ciudades y los pueblos."
    )


def test_a_county_map_without_a_place_and_an_unknown_county(atlas: Atlas) -> None:
    figure = county_map(atlas, JURISDICTION + "alpine-county")
    assert figure.text == (
        "Alpine County is shown in dark blue on a map of California's 58 counties, "
        "with a close-up of the county."
    )
    with pytest.raises(ParameterError, match="no county boundary in the graph for"):
        county_map(atlas, JURISDICTION + "oakland")


def test_parse_wkt_forms() -> None:
    square = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0))
    assert parse_wkt("POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))") == [(square,)]
    assert parse_wkt(
        "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> polygon ((0 0,1 0,1 1,0 1,0 0))"
    ) == [(square,)]
    hole = "(0.2 0.2, 0.4 0.2, 0.4 0.4, 0.2 0.2)"
    assert (
        len(
            parse_wkt(f"MULTIPOLYGON(((0 0, 1 0, 1 1, 0 1, 0 0), {hole}), ((5 5, 6 5, 6 6, 5 5)))")[
                0
            ]
        )
        == 2
    )
    assert parse_wkt("POLYGON Z((0 0 1, 1 0 1, 1 1 1, 0 0 1))") == [
        (((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)),)
    ]
    assert parse_wkt("MULTIPOLYGON EMPTY") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("POINT(1 2)", "at character 1: only POLYGON and MULTIPOLYGON can be drawn, not POINT"),
        ("POLYGON((0 0, 1 x))", "at character 17: expected a latitude, found 'x))'"),
        (
            "POLYGON((0 0, 1 0, 1 1, 0 0)",
            "at character 29: expected ',' or ')' after a ring, found the end",
        ),
        ("POLYGON((0 0, 1 0, 1 1))", "the ring that ends at character 23 has 3 points"),
        ("POLYGON((0 0, 1 0, 1 1, 0 0))) x", "at character 30: expected the end of the text"),
        ("", "at character 1: expected POLYGON or MULTIPOLYGON, found the end of the text"),
    ],
)
def test_malformed_wkt_says_what_and_where(text: str, message: str) -> None:
    with pytest.raises(ParameterError, match=re.escape(message)):
        parse_wkt(text)


def test_wkt_map_of_result_rows() -> None:
    rows = [
        {"name": "A", "shape": "POLYGON((0 0, 1 0, 1 1, 0 0))"},
        {"name": "B", "shape": "POLYGON((2 2, 3 2, 3 3, 2 2))"},
    ]
    figure = wkt_map(rows, lang="es")
    assert figure is not None
    assert re.findall(r"<title>([^<]*)</title>", figure.svg) == [
        "Mapa de las formas del resultado (2)",
        "A",
        "B",
    ]
    assert figure.text == "Un mapa de 2 formas del resultado: A, B."
    assert wkt_map([{"name": "A", "n": 1}]) is None
    assert wkt_map([]) is None
