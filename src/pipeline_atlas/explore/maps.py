"""County maps drawn from the graph's own geometry (``geo:asWKT``), as SVG with a text equivalent.

The graph holds one boundary per county (simplified Census cartographic boundaries, in
longitude/latitude) and no coordinates for cities, so a place is shown by its county: the map
says so in words. Everything is drawn here, locally: no tiles, scripts or fonts from outside.

* :func:`parse_wkt` reads the WKT of a ``geo:wktLiteral`` (``POLYGON``/``MULTIPOLYGON``, with
  or without a CRS IRI in front) into polygons.
* :func:`county_map` draws California's 58 counties with one county filled and labelled, and
  an inset that zooms on it.
* :func:`wkt_map` draws the shapes of a query result that has a WKT column.

The projection is equirectangular, with longitudes scaled by the cosine of the middle latitude
so that shapes are not stretched sideways.

>>> parse_wkt("POLYGON((0 0, 1 0, 1 1, 0 0))")
[(((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)),)]
>>> parse_wkt("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> MULTIPOLYGON(((0 0, 1 0, 0 1, 0 0)))")
[(((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)),)]
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any, TypeAlias

from ..errors import ParameterError
from ..i18n import t
from .figure import Figure

if TYPE_CHECKING:
    from ..atlas import Atlas

__all__ = [
    "CountyShape",
    "Point",
    "Polygon",
    "Ring",
    "county_map",
    "county_shapes",
    "is_wkt",
    "parse_wkt",
    "wkt_map",
]

Point: TypeAlias = tuple[float, float]
"""(longitude, latitude)."""
Ring: TypeAlias = tuple[Point, ...]
"""A closed ring of points."""
Polygon: TypeAlias = tuple[Ring, ...]
"""An outer ring, then its holes."""

HIGHLIGHT = "#1f3f75"
"""The chosen county: dark blue (the text equivalent says "dark blue")."""
OTHER = "#d9d9d9"
EDGE = "#ffffff"
INK = "#1a1a1a"

_CRS = re.compile(r"^\s*<([^<>\s]*)>\s*")
_TOKEN = re.compile(r"\s*(?:([A-Za-z]+)|(\()|(\))|(,)|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?))")


class _Reader:
    """A tiny reader of WKT tokens that knows where it is (for error messages)."""

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.pos = start

    def fail(self, expected: str) -> ParameterError:
        rest = self.text[self.pos :].lstrip()
        found = repr(rest[:12]) if rest else "the end of the text"
        where = len(self.text) - len(rest) + 1 if rest else len(self.text) + 1
        return ParameterError(
            f"malformed WKT at character {where}: expected {expected}, found {found}"
        )

    def peek(self) -> tuple[str, str] | None:
        found = _TOKEN.match(self.text, self.pos)
        if not found:
            return None
        kinds = ("word", "(", ")", ",", "number")
        for kind, value in zip(kinds, found.groups(), strict=True):
            if value is not None:
                return kind, value
        return None  # pragma: no cover - the pattern always sets one group

    def take(self, kind: str, expected: str) -> str:
        found = _TOKEN.match(self.text, self.pos)
        token = self.peek()
        if token is None or token[0] != kind or found is None:
            raise self.fail(expected)
        self.pos = found.end()
        return token[1]

    def at(self, kind: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == kind


def _ring(reader: _Reader) -> Ring:
    reader.take("(", "'(' opening a ring")
    points: list[Point] = []
    while True:
        lon = float(reader.take("number", "a longitude"))
        lat = float(reader.take("number", "a latitude"))
        while reader.at("number"):  # a Z or M value: not drawn
            reader.take("number", "a number")
        points.append((lon, lat))
        if reader.at(","):
            reader.take(",", "','")
            continue
        reader.take(")", "',' or ')' after a point")
        break
    if len(points) < 4 or points[0] != points[-1]:
        raise ParameterError(
            f"malformed WKT: the ring that ends at character {reader.pos} has {len(points)} "
            "points; a ring needs at least 4 and must end where it starts"
        )
    return tuple(points)


def _polygon(reader: _Reader) -> Polygon:
    reader.take("(", "'(' opening a polygon")
    rings = [_ring(reader)]
    while reader.at(","):
        reader.take(",", "','")
        rings.append(_ring(reader))
    reader.take(")", "',' or ')' after a ring")
    return tuple(rings)


def parse_wkt(text: str) -> list[Polygon]:
    """The polygons of a WKT ``POLYGON`` or ``MULTIPOLYGON`` (``EMPTY`` gives none).

    A leading CRS IRI (``<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POLYGON(...)``, as
    GeoSPARQL allows) is skipped; points are (longitude, latitude); Z/M values are dropped.
    Raises :class:`~pipeline_atlas.errors.ParameterError` saying what is wrong and at which
    character.

    >>> parse_wkt("MULTIPOLYGON EMPTY")
    []
    >>> def problem(text):
    ...     try:
    ...         parse_wkt(text)
    ...     except ParameterError as error:
    ...         print(error)
    >>> problem("POLYGON((0 0, 1 0, 1 1))")  # doctest: +NORMALIZE_WHITESPACE
    malformed WKT: the ring that ends at character 23 has 3 points;
    a ring needs at least 4 and must end where it starts
    >>> problem("POLYGON((0 0, 1 x))")
    malformed WKT at character 17: expected a latitude, found 'x))'
    """
    if not isinstance(text, str):
        raise ParameterError(f"WKT must be text, got {type(text).__name__}")
    crs = _CRS.match(text)
    reader = _Reader(text, crs.end() if crs else 0)
    kind = reader.take("word", "POLYGON or MULTIPOLYGON").upper()
    if kind not in ("POLYGON", "MULTIPOLYGON"):
        reader.pos -= len(kind)
        raise ParameterError(
            f"malformed WKT at character {reader.pos + 1}: only POLYGON and MULTIPOLYGON "
            f"can be drawn, not {kind}"
        )
    if reader.at("word"):
        word = reader.take("word", "EMPTY").upper()
        if word == "EMPTY":
            polygons: list[Polygon] = []
        elif word in ("Z", "M", "ZM"):
            polygons = _body(reader, kind)
        else:
            raise ParameterError(
                f"malformed WKT at character {reader.pos - len(word) + 1}: "
                f"expected '(' or EMPTY, found {word!r}"
            )
    else:
        polygons = _body(reader, kind)
    if text[reader.pos :].strip():
        raise reader.fail("the end of the text")
    return polygons


def _body(reader: _Reader, kind: str) -> list[Polygon]:
    if kind == "POLYGON":
        return [_polygon(reader)]
    reader.take("(", "'(' opening the MULTIPOLYGON")
    polygons = [_polygon(reader)]
    while reader.at(","):
        reader.take(",", "','")
        polygons.append(_polygon(reader))
    reader.take(")", "',' or ')' after a polygon")
    return polygons


def is_wkt(value: object) -> bool:
    """Whether ``value`` is text that :func:`parse_wkt` reads.

    >>> is_wkt("POLYGON((0 0, 1 0, 1 1, 0 0))"), is_wkt("Fresno"), is_wkt(3)
    (True, False, False)
    """
    if not isinstance(value, str):
        return False
    try:
        parse_wkt(value)
    except ParameterError:
        return False
    return True


# -- the counties of the graph -----------------------------------------------------------------


@dataclass(frozen=True)
class CountyShape:
    """One county: its IRI, its name in a language, and its boundary."""

    iri: str
    label: str
    polygons: tuple[Polygon, ...]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in degrees."""
        return _bbox(self.polygons)


_CACHE: weakref.WeakKeyDictionary[Any, dict[str, tuple[CountyShape, ...]]] = (
    weakref.WeakKeyDictionary()
)
_CACHE_LOCK = threading.Lock()


def county_shapes(atlas: Atlas, *, lang: str = "en") -> tuple[CountyShape, ...]:
    """Every county of the graph with its name in ``lang`` and its parsed boundary (catalogue
    query ``county-geometry``), sorted by IRI; read once per atlas and language."""
    with _CACHE_LOCK:
        known = _CACHE.get(atlas, {}).get(lang)
    if known is not None:
        return known
    rows = atlas.query("county-geometry", params={"lang": lang}, max_rows=None).rows
    shapes = tuple(
        CountyShape(str(row["county"]), str(row["countyLabel"]), tuple(parse_wkt(str(row["wkt"]))))
        for row in rows
    )
    with _CACHE_LOCK:
        _CACHE.setdefault(atlas, {})[lang] = shapes
    return shapes


# -- drawing -----------------------------------------------------------------------------------


def _bbox(polygons: Iterable[Polygon]) -> tuple[float, float, float, float]:
    lons = [p[0] for poly in polygons for p in poly[0]]
    lats = [p[1] for poly in polygons for p in poly[0]]
    if not lons:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(lons), min(lats), max(lons), max(lats))


def _union(boxes: Iterable[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    found = list(boxes)
    return (
        min(b[0] for b in found),
        min(b[1] for b in found),
        max(b[2] for b in found),
        max(b[3] for b in found),
    )


@dataclass(frozen=True)
class _Frame:
    """Fits a box of degrees into a box of pixels (equirectangular, cos-latitude scaled)."""

    bbox: tuple[float, float, float, float]
    x: float
    y: float
    width: float
    height: float

    @property
    def _k(self) -> float:
        _, south, _, north = self.bbox
        return math.cos(math.radians((south + north) / 2))

    @property
    def scale(self) -> float:
        west, south, east, north = self.bbox
        span_x = max((east - west) * self._k, 1e-9)
        span_y = max(north - south, 1e-9)
        return min(self.width / span_x, self.height / span_y)

    def project(self, point: Point) -> tuple[float, float]:
        west, south, east, north = self.bbox
        s = self.scale
        used_w = (east - west) * self._k * s
        used_h = (north - south) * s
        ox = self.x + (self.width - used_w) / 2
        oy = self.y + (self.height - used_h) / 2
        return (ox + (point[0] - west) * self._k * s, oy + (north - point[1]) * s)

    def path(self, polygons: Iterable[Polygon]) -> str:
        parts: list[str] = []
        for polygon in polygons:
            for ring in polygon:
                coords = [self.project(p) for p in ring[:-1]]
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z")
        return "".join(parts)


_WIDTH = 720
_HEIGHT = 480


def _svg(title: str, body: Sequence[str], *, height: int = _HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-label="{escape(title)}" style="max-width:{_WIDTH}px;height:auto" '
        f'font-family="sans-serif"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def county_map(
    atlas: Atlas, county_iri: str, *, lang: str = "en", highlight_place: str | None = None
) -> Figure:
    """California's 58 counties with ``county_iri`` filled in dark blue and labelled, the others
    light grey, an inset zoomed on the county, and a legend, in ``lang``.

    ``highlight_place`` is the label of the place (a city, or an unincorporated area) that is in
    the county: the graph has no coordinates for places, so the text equivalent says that the
    place is shown by its county. Raises :class:`ParameterError` for a county the graph has no
    boundary for.
    """
    shapes = county_shapes(atlas, lang=lang)
    chosen = next((s for s in shapes if s.iri == county_iri), None)
    if chosen is None:
        raise ParameterError(f"no county boundary in the graph for {county_iri!r}")
    state = _Frame(_union(s.bbox for s in shapes), 10, 10, 400, 460)
    body: list[str] = [f'<rect width="{_WIDTH}" height="{_HEIGHT}" fill="#ffffff"/>']
    body.append(f'<g stroke="{EDGE}" stroke-width="0.6" fill-rule="evenodd">')
    for shape in shapes:
        selected = shape.iri == county_iri
        css = "county highlighted" if selected else "county"
        fill = HIGHLIGHT if selected else OTHER
        body.append(
            f'<path class="{css}" fill="{fill}" d="{state.path(shape.polygons)}">'
            f"<title>{escape(shape.label)}</title></path>"
        )
    body.append("</g>")
    # the label on the state map, with a white halo so it reads over any county
    x, y = state.project(
        ((chosen.bbox[0] + chosen.bbox[2]) / 2, (chosen.bbox[1] + chosen.bbox[3]) / 2)
    )
    body.append(
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="13" font-weight="bold" '
        f'fill="{INK}" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
        f"{escape(chosen.label)}</text>"
    )
    # the inset: the county and its neighbours' edges, zoomed
    inset = _Frame(_pad(chosen.bbox), 440, 40, 260, 260)
    clip = "inset-clip"
    body.append(
        f'<defs><clipPath id="{clip}">'
        '<rect x="440" y="40" width="260" height="260"/></clipPath></defs>'
        f'<text x="440" y="30" font-size="13" fill="{INK}">'
        f"{escape(t('ui.map.inset', lang, county=chosen.label))}</text>"
        f'<rect x="440" y="40" width="260" height="260" fill="#ffffff" stroke="{INK}" '
        f'stroke-width="1"/><g clip-path="url(#{clip})" stroke="{EDGE}" stroke-width="1" '
        f'fill-rule="evenodd">'
    )
    for shape in shapes:
        if shape.iri == county_iri or not _overlaps(shape.bbox, inset.bbox):
            continue
        body.append(f'<path class="inset-other" fill="{OTHER}" d="{inset.path(shape.polygons)}"/>')
    body.append(
        f'<path class="inset-county" fill="{HIGHLIGHT}" d="{inset.path(chosen.polygons)}"/></g>'
    )
    # the legend
    body.append(
        f'<g class="legend" font-size="13" fill="{INK}">'
        f'<rect x="440" y="330" width="16" height="16" fill="{HIGHLIGHT}"/>'
        f'<text x="462" y="343">{escape(chosen.label)}</text>'
        f'<rect x="440" y="356" width="16" height="16" fill="{OTHER}"/>'
        f'<text x="462" y="369">{escape(t("ui.map.legend_other", lang))}</text>'
        f'<text x="440" y="400" font-size="11">{escape(t("ui.map.counties_only", lang))}</text>'
        "</g>"
    )
    title = t("ui.map.title", lang, county=chosen.label)
    if highlight_place and highlight_place != chosen.label:
        text = t(
            "ui.map.text_place", lang, place=highlight_place, county=chosen.label, count=len(shapes)
        )
    else:
        text = t("ui.map.text_county", lang, county=chosen.label, count=len(shapes))
    return Figure(svg=_svg(title, body), text=text)


def _pad(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    west, south, east, north = bbox
    dx = max((east - west) * 0.15, 0.05)
    dy = max((north - south) * 0.15, 0.05)
    return (west - dx, south - dy, east + dx, north + dy)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def wkt_map(rows: Sequence[Mapping[str, object]], *, lang: str = "en") -> Figure | None:
    """The shapes of a query result drawn together, or ``None`` when no column holds WKT.

    The first column whose values are all WKT (blanks aside) is drawn; the first other column of
    text names each shape (its ``<title>`` and the text equivalent). Shapes that do not parse
    are left out and counted in the text.

    >>> fig = wkt_map([{"name": "A", "shape": "POLYGON((0 0, 1 0, 1 1, 0 0))"}])
    >>> fig is not None and fig.svg.count("<path"), fig and fig.text
    (1, 'A map of 1 shape from the result: A.')
    >>> wkt_map([{"name": "A"}]) is None
    True
    """
    if not rows:
        return None
    columns = list(rows[0].keys())
    wkt_column = next(
        (
            c
            for c in columns
            if any(r.get(c) not in (None, "") for r in rows)
            and all(r.get(c) in (None, "") or _looks_wkt(r.get(c)) for r in rows)
        ),
        None,
    )
    if wkt_column is None:
        return None
    name_column = next(
        (c for c in columns if c != wkt_column and any(isinstance(r.get(c), str) for r in rows)),
        None,
    )
    shapes: list[tuple[str, list[Polygon]]] = []
    skipped = 0
    for i, row in enumerate(rows, start=1):
        value = row.get(wkt_column)
        if value in (None, ""):
            continue
        try:
            polygons = parse_wkt(str(value))
        except ParameterError:
            skipped += 1
            continue
        if not polygons:
            continue
        name = str(row.get(name_column) or "") if name_column else ""
        shapes.append((name or str(i), polygons))
    if not shapes:
        return None
    frame = _Frame(_union(_bbox(p) for _, p in shapes), 10, 10, _WIDTH - 20, 460)
    body = [f'<rect width="{_WIDTH}" height="480" fill="#ffffff"/>']
    body.append(f'<g stroke="{EDGE}" stroke-width="0.8" fill-rule="evenodd">')
    for name, polygons in shapes:
        body.append(
            f'<path class="shape" fill="{HIGHLIGHT}" fill-opacity="0.75" '
            f'd="{frame.path(polygons)}"><title>{escape(name)}</title></path>'
        )
    body.append("</g>")
    names = ", ".join(name for name, _ in shapes)
    key = "ui.map.result_text_one" if len(shapes) == 1 else "ui.map.result_text"
    text = t(key, lang, count=len(shapes), names=names)
    if skipped:
        text += " " + t("ui.map.result_skipped", lang, count=skipped)
    title = t("ui.map.result_title", lang, count=len(shapes))
    return Figure(svg=_svg(title, body, height=480), text=text)


def _looks_wkt(value: object) -> bool:
    if not isinstance(value, str):
        return False
    head = _CRS.sub("", value, count=1).lstrip()[:12].upper()
    return head.startswith(("POLYGON", "MULTIPOLYGON"))
