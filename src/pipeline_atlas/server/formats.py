"""Content negotiation and result serialization for the endpoint.

Every answer is written by pyoxigraph's serializers: the SPARQL 1.1 result formats (JSON, XML,
CSV, TSV) for SELECT and ASK, and the RDF formats (Turtle, N-Triples, N-Quads, TriG, JSON-LD,
RDF/XML) for CONSTRUCT, DESCRIBE and the graphs the server publishes.

>>> negotiate("text/csv;q=0.9, application/sparql-results+json", "select").name
'json'
>>> negotiate("*/*", "construct").media_type
'text/turtle'
>>> negotiate(None, "ask", override="tsv").name
'tsv'
>>> negotiate("text/turtle", "select") is None
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from ..results import QueryResult

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "Format",
    "negotiate",
    "parse_accept",
    "serialize_graph",
    "serialize_result",
]


@dataclass(frozen=True)
class Format:
    """A format the endpoint writes: short ``name`` (for ``?format=``), ``media_type``, and the
    W3C format IRI (``http://www.w3.org/ns/formats/...``) for the service description."""

    name: str
    media_type: str
    w3c: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value (text formats say UTF-8)."""
        if self.media_type.startswith("text/") or self.media_type.endswith(("+json", "+xml")):
            return f"{self.media_type}; charset=utf-8"
        if self.media_type in ("application/n-triples", "application/n-quads", "application/trig"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


_W3C = "http://www.w3.org/ns/formats/"

RESULT_FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        _W3C + "SPARQL_Results_JSON",
        ("application/json",),
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        _W3C + "SPARQL_Results_XML",
        ("application/xml", "text/xml"),
    ),
    Format("csv", "text/csv", _W3C + "SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", _W3C + "SPARQL_Results_TSV"),
)
"""Formats of SELECT and ASK results, the default first."""

GRAPH_FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", _W3C + "Turtle", ("application/x-turtle", "ttl")),
    Format("ntriples", "application/n-triples", _W3C + "N-Triples", ("nt",)),
    Format("nquads", "application/n-quads", _W3C + "N-Quads", ("nq",)),
    Format("trig", "application/trig", _W3C + "TriG"),
    Format("jsonld", "application/ld+json", _W3C + "JSON-LD", ("json-ld",)),
    Format("rdfxml", "application/rdf+xml", _W3C + "RDF_XML", ("rdf", "xml-rdf")),
)
"""Formats of CONSTRUCT and DESCRIBE results and of published graphs, the default first."""

_RDF_FORMATS: Mapping[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_DATASET_FORMATS = frozenset({"nquads", "trig"})


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their quality, best first (stable).

    >>> parse_accept("text/html, application/xml;q=0.9, */*;q=0.8")
    [('text/html', 1.0), ('application/xml', 0.9), ('*/*', 0.8)]
    >>> parse_accept("text/csv;q=NaN, text/*;q=2")
    [('text/*', 1.0), ('text/csv', 0.0)]
    """
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        quality = 1.0
        for field in fields[1:]:
            key, _, value = field.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
                quality = max(0.0, min(1.0, quality)) if math.isfinite(quality) else 0.0
        ranges.append((media, quality))
    return sorted(ranges, key=lambda r: -r[1])


def _matches(media_range: str, fmt: Format) -> bool:
    if media_range == "*/*":
        return True
    types = (fmt.media_type, *(a for a in fmt.aliases if "/" in a))
    if media_range.endswith("/*"):
        return any(t.startswith(media_range[:-1]) for t in types)
    return media_range in types


def _by_name(name: str, formats: Iterable[Format]) -> Format | None:
    wanted = name.strip().lower()
    for fmt in formats:
        if wanted in (fmt.name, fmt.media_type, *fmt.aliases):
            return fmt
    return None


def negotiate(accept: str | None, kind: str, *, override: str | None = None) -> Format | None:
    """The format to answer a ``kind`` result in (``select``, ``ask``, ``construct``,
    ``describe`` or ``graph``): the ``?format=`` ``override`` if it names one, else the best
    match of ``accept``; ``None`` when nothing acceptable can be written (406)."""
    formats = RESULT_FORMATS if kind in ("select", "ask") else GRAPH_FORMATS
    if override:
        return _by_name(override, formats)
    best: tuple[float, int, Format] | None = None
    for position, (media_range, quality) in enumerate(parse_accept(accept)):
        if quality <= 0:
            continue
        for order, fmt in enumerate(formats):
            if _matches(media_range, fmt):
                # a specific type beats a wildcard of the same quality; then our order
                rank = (quality, -position * 100 - order, fmt)
                if best is None or rank[:2] > best[:2]:
                    best = rank
                break
    return best[2] if best is not None else None


def serialize_result(result: QueryResult, fmt: Format) -> bytes:
    """``result`` in ``fmt`` (a result format for SELECT/ASK, a graph format for CONSTRUCT)."""
    if result.kind == "construct":
        return serialize_graph(result.triples, fmt)
    return result.to(fmt.name).encode("utf-8")


def serialize_graph(
    triples: Iterable[ox.Triple], fmt: Format, *, prefixes: Mapping[str, str] | None = None
) -> bytes:
    """Triples in a graph format; N-Quads and TriG put them in the default graph."""
    rdf_format = _RDF_FORMATS[fmt.name]
    items: list[ox.Triple] | list[ox.Quad] = list(triples)
    if fmt.name in _DATASET_FORMATS:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in items]
    kwargs: dict[str, object] = {}
    if prefixes and fmt.name in ("turtle", "trig", "rdfxml"):
        kwargs["prefixes"] = _used(items, prefixes)
    data = ox.serialize(items, format=rdf_format, **kwargs)  # type: ignore[arg-type]
    return data or b""


def _used(items: Iterable[ox.Triple | ox.Quad], prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes whose namespace starts an IRI of ``items`` (so Turtle declares only
    those)."""
    iris: set[str] = set()
    for item in items:
        for term in (item.subject, item.predicate, item.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    namespaces = {
        iri.rsplit("#", 1)[0] + "#" if "#" in iri else iri.rsplit("/", 1)[0] + "/" for iri in iris
    }
    return {
        name: ns
        for name, ns in prefixes.items()
        if ns in namespaces or any(n.startswith(ns) for n in namespaces)
    }
